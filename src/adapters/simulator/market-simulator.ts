/**
 * A deterministic, seeded whole-market day of QMT ticks: `batches`/`ticksBetween` give the snapshots of any
 * market-time window, and the same (seed, symbols, day, tickIntervalMs) always give the same ticks.
 *
 * State: a stepper positioned after step `cursor - 1`, and the snapshots of the last step generated.
 * Invariant: the ticks of a window depend only on the inputs and the window, never on earlier calls:
 * consecutive windows cost only their own steps; a window that starts before the cursor replays the day
 * from 09:15 (state only, no ticks): up to ~2 s for the whole market.
 */
import type { Tick } from "../../domain/tick.ts"
import { MarketStepper } from "./market-stepper.ts"
import { makeSessionSchedule, marketTimeOf, type SessionSchedule, StepKind } from "./session-schedule.ts"
import { daySeed, makeTradingProfile } from "./trading-profile.ts"
import { type Instrument, instrumentsOf, makeUniverse, type Universe } from "./universe.ts"

export interface MarketSimulatorOptions {
  readonly seed: number
  /** Trading day, `YYYY-MM-DD` (Shanghai). Holidays are not checked. */
  readonly day: string
  /** Number of listed symbols; default 5,000. */
  readonly symbols?: number
  /** Snapshot interval; default 3,000 ms (QMT's whole-quote push). Must divide 30 s. */
  readonly tickIntervalMs?: number
}

/** What one whole-quote callback delivers: the snapshots that changed during one step. */
export interface SimulatedBatch {
  readonly step: number
  /** Market time by which every snapshot of the batch exists (the end of its step): when QMT delivers it. */
  readonly dueMs: number
  /** Ordered by universe index; each symbol at most once; times within [dueMs - tickIntervalMs, dueMs). */
  readonly ticks: ReadonlyArray<Tick>
}

export interface MarketSimulator {
  readonly day: string
  readonly universe: Universe
  readonly schedule: SessionSchedule
  readonly instruments: () => Array<Instrument>
  /** Epoch ms of `HH:MM` or `HH:MM:SS` on the simulated day; NaN when malformed. */
  readonly marketTime: (hhmm: string) => number
  /** The non-empty batches of ticks whose time is in [fromMs, toMs), in step order. */
  readonly batches: (fromMs: number, toMs: number) => IterableIterator<SimulatedBatch>
  /** All ticks with time in [fromMs, toMs): hold windows of minutes, not the day (~20M ticks). */
  readonly ticksBetween: (fromMs: number, toMs: number) => Array<Tick>
}

/** Ticks of any step: the next steps cost only themselves, an earlier one replays the day's state from 09:15. */
const makeStepCache = (stepper: MarketStepper): ((k: number) => Array<Tick>) => {
  let cursor = 0
  let cachedStep = -1
  let cached: Array<Tick> = []
  return (k) => {
    // A window edge inside a step asks for that step twice: serve the second from the cache.
    if (k === cachedStep) return cached
    if (k < cursor) {
      stepper.reset()
      cursor = 0
    }
    while (cursor < k) stepper.step(cursor++, false)
    cached = stepper.step(cursor++, true)
    cachedStep = k
    return cached
  }
}

function* windowBatches(
  schedule: SessionSchedule,
  ticksOfStep: (k: number) => Array<Tick>,
  fromMs: number,
  toMs: number,
): IterableIterator<SimulatedBatch> {
  const { firstStepMs, stepMs } = schedule
  const end = Math.min(schedule.steps, Math.ceil((toMs - firstStepMs) / stepMs))
  for (let k = Math.max(0, Math.floor((fromMs - firstStepMs) / stepMs)); k < end; k++) {
    if (schedule.kinds[k] === StepKind.Idle) continue
    const start = firstStepMs + k * stepMs
    const all = ticksOfStep(k)
    // A window edge inside a step splits its ticks by their own time, so split windows add up to the whole.
    const inside = start >= fromMs && start + stepMs <= toMs
    const ticks = inside ? all : all.filter((t) => t.time >= fromMs && t.time < toMs)
    if (ticks.length > 0) yield { step: k, dueMs: start + stepMs, ticks }
  }
}

export const makeMarketSimulator = (options: MarketSimulatorOptions): MarketSimulator => {
  const seed = options.seed | 0
  const universe = makeUniverse({ seed, symbols: options.symbols ?? 5_000 })
  const schedule = makeSessionSchedule(options.day, options.tickIntervalMs ?? 3_000)
  const profile = makeTradingProfile(universe, seed, schedule)
  const stepper = new MarketStepper(universe, profile, schedule, daySeed(seed, schedule.midnightMs))
  const ticksOfStep = makeStepCache(stepper)
  const batches = (fromMs: number, toMs: number) => windowBatches(schedule, ticksOfStep, fromMs, toMs)
  return {
    day: options.day,
    universe,
    schedule,
    instruments: () => instrumentsOf(universe),
    marketTime: (hhmm) => marketTimeOf(schedule, hhmm),
    batches,
    ticksBetween: (fromMs, toMs) => {
      const out: Array<Tick> = []
      for (const batch of batches(fromMs, toMs)) for (const t of batch.ticks) out.push(t)
      return out
    },
  }
}
