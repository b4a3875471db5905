/**
 * The adapter's hot path, synchronous and allocation-light: bridge lines -> decoded messages -> 1m bars and
 * reference data as market events. Ticks feed the bar builder (after the replay gate), heartbeats are its
 * exchange clock, reference data passes through; a bad line is a dead letter with its reason.
 *
 * State: the bar builder, the replay gate, counters. Invariant: every line is counted exactly once as a tick,
 * a replayed tick, a heartbeat, reference data or a dead letter.
 */
import { Result } from "effect"
import { parseBridgeLine } from "../adapters/qmt/bridge-line.ts"
import type { BarClosed } from "../domain/bar.ts"
import type { MarketEventType } from "../domain/market-event.ts"
import type { MinuteBarBuilder } from "../domain/minute-bar-builder.ts"
import type { Tick } from "../domain/tick.ts"
import type { ReplayGate } from "./replay-gate.ts"

// Longer than any exchange holiday (Spring Festival is ~10 days), far shorter than a bad year.
const MAX_LEAP_MS = 31 * 86_400_000

export interface MarketEvent {
  readonly type: MarketEventType
  readonly data: string
}

export interface LineCounts {
  ticks: number
  replayed: number
  heartbeats: number
  refs: number
  bars: number
  bad: number
}

export interface LineHooks {
  readonly bad: (line: string, reason: string) => void
  readonly tick: () => void
  readonly heartbeat: (marketMs: number | null) => void
}

const pushBars = (bars: ReadonlyArray<BarClosed>, out: MarketEvent[]): number => {
  for (const b of bars) out.push({ type: "bar", data: JSON.stringify(b) })
  return bars.length
}

export class BridgeLinesToEvents {
  readonly counts: LineCounts = { ticks: 0, replayed: 0, heartbeats: 0, refs: 0, bars: 0, bad: 0 }
  private readonly builder: MinuteBarBuilder
  private readonly gate: ReplayGate
  private readonly hooks: LineHooks

  constructor(builder: MinuteBarBuilder, gate: ReplayGate, hooks: LineHooks) {
    this.builder = builder
    this.gate = gate
    this.hooks = hooks
  }

  /** Handles lines in order, appending the events they produce to `out`. */
  accept(lines: ReadonlyArray<string>, out: MarketEvent[]): void {
    for (const text of lines) this.line(text, out)
  }

  private line(text: string, out: MarketEvent[]): void {
    const parsed = parseBridgeLine(text)
    if (Result.isFailure(parsed)) {
      this.bad(text, parsed.failure)
      return
    }
    const m = parsed.success
    switch (m._tag) {
      case "Tick":
        this.tick(text, m.tick, out)
        break
      case "Heartbeat":
        // A clock leaping far ahead (a bad tick's time, a unit mistake) would close every open bar at once.
        if (m.marketMs !== null && this.farAhead(m.marketMs)) {
          this.bad(text, "heartbeat time leaps more than 31 days ahead of the adapter's clock")
          break
        }
        if (m.marketMs !== null) this.lastClockMs = m.marketMs
        this.counts.heartbeats++
        this.hooks.heartbeat(m.marketMs)
        if (m.marketMs !== null) this.counts.bars += pushBars(this.builder.onClock(m.marketMs), out)
        break
      case "Reference":
        this.counts.refs++
        out.push({ type: "ref", data: JSON.stringify(m.reference) })
        break
      default:
        this.bad(text, `unexpected ${m._tag} line from a live bridge`)
    }
  }

  private tick(text: string, tick: Tick, out: MarketEvent[]): void {
    this.hooks.tick()
    if (this.gate.isReplay(tick)) {
      this.counts.replayed++
      return
    }
    // A tick far ahead of the clock (a year, a unit mistake) would start a bogus trading day for its symbol.
    if (this.farAhead(tick.time)) {
      this.bad(text, "tick time is more than 31 days ahead of the adapter's clock")
      return
    }
    const outcome = this.builder.onTick(tick)
    this.counts.bars += pushBars(outcome.bars, out)
    if (outcome.rejected !== undefined) {
      this.bad(text, outcome.rejected)
      return
    }
    this.counts.ticks++
    this.gate.accepted(tick)
  }

  private lastClockMs: number | undefined

  private farAhead(ms: number): boolean {
    return this.lastClockMs !== undefined && ms - this.lastClockMs > MAX_LEAP_MS
  }

  private bad(text: string, reason: string): void {
    this.counts.bad++
    this.hooks.bad(text, reason)
  }
}
