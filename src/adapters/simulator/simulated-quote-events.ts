/**
 * The simulated source as the bar pipeline sees it: tick batches and the market clock. At "max" speed the
 * clock is the batches' own time; when paced, the clock also ticks on its own (every 250 ms of wall time), so
 * bars close on time through the lunch break and after the last tick, as they must live.
 */
import { Clock, Effect, Schedule, Stream } from "effect"
import type { QuoteEvent } from "../../pipelines/quote-event.ts"
import { makeMarketClock } from "./market-clock.ts"
import { makeMarketSimulator } from "./market-simulator.ts"
import type { SimulatedSourceOptions } from "./simulated-source.ts"

const CLOCK_EVERY_MS = 250

export const simulatedQuoteEvents = (options: SimulatedSourceOptions): Stream.Stream<QuoteEvent, Error> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const sim = yield* Effect.try({ try: () => makeMarketSimulator(options), catch: (e) => e as Error })
      const fromMs = sim.marketTime(options.from ?? "09:15")
      const toMs = sim.marketTime(options.to ?? "15:01")
      if (!(fromMs <= toMs))
        return yield* Effect.fail(
          new Error(
            `bad simulated window ${options.from ?? "09:15"}..${options.to ?? "15:01"}: it must start before it ends`,
          ),
        )
      const batches = Stream.fromIterable(sim.batches(fromMs, toMs), { chunkSize: 1 })
      const speed = options.speed
      // A window that ends mid-day closes the bars it covered (the clock passes their grace), not the day.
      const closeMs = sim.marketTime("15:00")
      const endOfDay =
        toMs >= closeMs
          ? Stream.make<QuoteEvent[]>({ _tag: "Clock", marketMs: toMs }, { _tag: "EndOfDay" })
          : Stream.make<QuoteEvent[]>({ _tag: "Clock", marketMs: toMs + 30_000 })
      if (speed === "max") {
        return batches.pipe(
          Stream.flatMap((b) =>
            Stream.make<QuoteEvent[]>(
              { _tag: "Ticks", ticks: b.ticks },
              { _tag: "Clock", marketMs: b.dueMs },
            ),
          ),
          Stream.concat(endOfDay),
        )
      }
      const clock = makeMarketClock({
        speed,
        startMarketMs: fromMs,
        startWallMs: yield* Clock.currentTimeMillis,
        gaps: (options.skipIdle ?? speed > 1) ? sim.schedule.idleGaps : [],
      })
      const sleepUntil = (wallMs: number) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          wallMs > now ? Effect.sleep(wallMs - now) : Effect.void,
        )
      const ticks = batches.pipe(
        Stream.mapEffect((b) =>
          Effect.as(sleepUntil(clock.wallAt(b.dueMs)), { _tag: "Ticks", ticks: b.ticks } as QuoteEvent),
        ),
        Stream.concat(endOfDay),
      )
      const clockEvents = Stream.fromEffectSchedule(
        Effect.map(
          Clock.currentTimeMillis,
          (now): QuoteEvent => ({ _tag: "Clock", marketMs: Math.min(clock.marketAt(now), toMs) }),
        ),
        Schedule.spaced(CLOCK_EVERY_MS),
      )
      return Stream.merge(ticks, clockEvents, { haltStrategy: "left" })
    }),
  )
