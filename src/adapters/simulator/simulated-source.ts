/**
 * The simulated QMT source: a stream of whole-quote tick batches (one per 3-second market step that changed
 * something) paced by a market clock on Effect's Clock, or as fast as the consumer takes them.
 */
import { Clock, Data, Effect, Stream } from "effect"
import type { Tick } from "../../domain/tick.ts"
import { makeMarketClock } from "./market-clock.ts"
import { type MarketSimulator, makeMarketSimulator } from "./market-simulator.ts"

export interface SimulatedSourceOptions {
  readonly seed: number
  /** `YYYY-MM-DD`, the simulated trading day. */
  readonly day: string
  /** Number of listed symbols; default 5,000. */
  readonly symbols?: number
  /**
   * Market seconds per wall second. 1 is real time: with `day` today and `from` the current time, market time
   * is wall time. "max" paces nothing: batches come as fast as the consumer pulls them.
   */
  readonly speed: number | "max"
  /** Market time `HH:MM[:SS]` the stream starts at (inclusive); default "09:15". */
  readonly from?: string
  /** Market time `HH:MM[:SS]` the stream ends at (exclusive); default "15:01", after the post-close repeat. */
  readonly to?: string
  /** Skip the spans where nothing trades (pre-open, lunch, closing call); default: when speed > 1. */
  readonly skipIdle?: boolean
  /** Snapshot interval; default 3,000 ms. */
  readonly tickIntervalMs?: number
}

export class SimulatorOptionsError extends Data.TaggedError("SimulatorOptionsError")<{
  readonly message: string
}> {}

interface Plan {
  readonly sim: MarketSimulator
  readonly fromMs: number
  readonly toMs: number
}

const plan = (options: SimulatedSourceOptions): Effect.Effect<Plan, SimulatorOptionsError> =>
  Effect.gen(function* () {
    const sim = yield* Effect.try({
      try: () => makeMarketSimulator(options),
      catch: (e) => new SimulatorOptionsError({ message: e instanceof Error ? e.message : String(e) }),
    })
    const fromMs = sim.marketTime(options.from ?? "09:15")
    const toMs = sim.marketTime(options.to ?? "15:01")
    if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs < fromMs) {
      return yield* new SimulatorOptionsError({
        message: `from/to must be HH:MM or HH:MM:SS with from <= to, got ${options.from} .. ${options.to}`,
      })
    }
    const speed = options.speed
    if (speed !== "max" && !(speed > 0 && Number.isFinite(speed))) {
      return yield* new SimulatorOptionsError({
        message: `speed must be a number > 0 or "max", got ${speed}`,
      })
    }
    return { sim, fromMs, toMs }
  })

/** Sleeps until the wall clock reads `wallMs`; a late consumer gets the next batch at once (it catches up). */
const sleepUntil = (wallMs: number): Effect.Effect<void> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => (wallMs > now ? Effect.sleep(wallMs - now) : Effect.void))

/** Tick batches of the simulated market between `from` and `to`, each delivered when its step ends. */
export const simulatedTicks = (
  options: SimulatedSourceOptions,
): Stream.Stream<ReadonlyArray<Tick>, SimulatorOptionsError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const { sim, fromMs, toMs } = yield* plan(options)
      // chunkSize 1: generate a batch only when the consumer wants it, never a day ahead.
      const batches = Stream.fromIterable(sim.batches(fromMs, toMs), { chunkSize: 1 })
      const speed = options.speed
      if (speed === "max") return Stream.map(batches, (b) => b.ticks)
      const clock = makeMarketClock({
        speed,
        startMarketMs: fromMs,
        startWallMs: yield* Clock.currentTimeMillis,
        gaps: (options.skipIdle ?? speed > 1) ? sim.schedule.idleGaps : [],
      })
      return Stream.mapEffect(batches, (b) => Effect.as(sleepUntil(clock.wallAt(b.dueMs)), b.ticks))
    }),
  )
