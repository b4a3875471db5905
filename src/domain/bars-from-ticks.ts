/**
 * Batch 1m bars from a tick file, through the same builder as live: ticks are taken as arriving in order and
 * no clock runs, so every bar is published once, final, when its symbol's day ends or at the end.
 */
import type { Bar, BarClosed } from "./bar.ts"
import { compareBars, toBar } from "./bar-order.ts"
import { makeMinuteBarBuilder } from "./minute-bar-builder.ts"
import type { Tick } from "./tick.ts"

export interface TickBatch {
  /** Applies one tick; returns the rejection reason of a bad tick. */
  readonly push: (tick: Tick) => string | undefined
  /** All bars, sorted by symbol then frame. */
  readonly finish: () => Bar[]
}

/** An incremental batch, for callers that read ticks asynchronously (the CLI). */
export const makeTickBatch = (): TickBatch => {
  const builder = makeMinuteBarBuilder()
  const bars: BarClosed[] = []
  return {
    push: (tick) => {
      const outcome = builder.onTick(tick)
      for (const b of outcome.bars) bars.push(b)
      return outcome.rejected
    },
    finish: () => {
      for (const b of builder.flushDay()) bars.push(b)
      return bars.map(toBar).sort(compareBars)
    },
  }
}

/** 1m bars of `ticks` (several symbols interleaved, in time order per symbol), sorted by symbol then frame. */
export const barsFromTicks = (
  ticks: Iterable<Tick>,
  onRejected?: (tick: Tick, reason: string, index: number) => void,
): Bar[] => {
  const batch = makeTickBatch()
  let i = 0
  for (const t of ticks) {
    const rejected = batch.push(t)
    if (rejected !== undefined) onRejected?.(t, rejected, i)
    i++
  }
  return batch.finish()
}
