/**
 * The chaos run's ground truth: a seeded simulated day written as the tick file the stand-in xtquant replays,
 * and the bars that day must end up as (batch 1m bars through the same builder, resampled for 5m/30m/1d).
 */
import { writeFileSync } from "node:fs"
import { makeMarketSimulator } from "../src/adapters/simulator/market-simulator.ts"
import type { Bar } from "../src/domain/bar.ts"
import { barsFromTicks } from "../src/domain/bars-from-ticks.ts"
import { resample } from "../src/domain/resample.ts"
import type { Tick } from "../src/domain/tick.ts"

export interface TruthOptions {
  readonly seed: number
  readonly day: string
  readonly symbols: number
  /** Snapshot interval of the simulator: fewer ticks per symbol keep the Python replay light. */
  readonly tickIntervalMs: number
}

export interface Truth {
  readonly file: string
  /** Tick times in file order (ascending): where a restarted feed resumes. */
  readonly times: Float64Array
  readonly ticks: number
  /** Symbols in the file: each gets reference data from the feed. */
  readonly symbols: number
  readonly bars: Record<"1m" | "5m" | "30m" | "1d", ReadonlyArray<Bar>>
  /** Market span of the file, for the replay speed. */
  readonly firstMs: number
  readonly lastMs: number
}

/**
 * The whole day, 09:15 to the 15:00:30 post-close repeat: its last snapshots carry the tick clock past
 * 15:00 + grace, so the live builder closes every bar the batch builder flushes at the end.
 */
export const makeTruth = (o: TruthOptions, file: string): Truth => {
  const sim = makeMarketSimulator({
    seed: o.seed,
    day: o.day,
    symbols: o.symbols,
    tickIntervalMs: o.tickIntervalMs,
  })
  // The stand-in replays its file sorted by time (stable); writing it sorted makes line k its k-th tick.
  const ticks: Tick[] = sim
    .ticksBetween(sim.marketTime("09:15"), sim.marketTime("15:01"))
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.time - b.t.time || a.i - b.i)
    .map(({ t }) => t)
  writeFileSync(file, ticks.map((t) => JSON.stringify(t)).join("\n") + "\n")
  const bars1m = barsFromTicks(ticks)
  return {
    file,
    times: Float64Array.from(ticks, (t) => t.time),
    ticks: ticks.length,
    symbols: new Set(ticks.map((t) => t.symbol)).size,
    bars: {
      "1m": bars1m,
      "5m": resample(bars1m, "5m"),
      "30m": resample(bars1m, "30m"),
      "1d": resample(bars1m, "1d"),
    },
    firstMs: ticks[0]!.time,
    lastMs: ticks[ticks.length - 1]!.time,
  }
}

/** The first line whose tick is at or after `timeMs`: every tick of a later line comes after it in time. */
export const firstLineAtOrAfter = (times: Float64Array, timeMs: number): number => {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid]! < timeMs) lo = mid + 1
    else hi = mid
  }
  return lo
}
