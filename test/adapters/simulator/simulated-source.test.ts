import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import { makeMarketSimulator } from "../../../src/adapters/simulator/market-simulator.ts"
import {
  type SimulatedSourceOptions,
  simulatedTicks,
} from "../../../src/adapters/simulator/simulated-source.ts"

const base = { seed: 11, day: "2024-06-12", symbols: 50 } as const

/** The simulator's own batches for the options' window: what the stream must deliver, and when. */
const expected = (o: SimulatedSourceOptions) => {
  const sim = makeMarketSimulator(o)
  const fromMs = sim.marketTime(o.from ?? "09:15")
  return { fromMs, batches: [...sim.batches(fromMs, sim.marketTime(o.to ?? "15:01"))] }
}

/** Runs the stream on the TestClock, advancing it `wallMs`; returns each batch with its wall time since the start. */
const arrivals = (o: SimulatedSourceOptions, wallMs: number) =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    const got: Array<{ readonly at: number; readonly size: number }> = []
    const fiber = yield* simulatedTicks(o).pipe(
      Stream.runForEach((ticks) =>
        Effect.map(Clock.currentTimeMillis, (at) => void got.push({ at: at - start, size: ticks.length })),
      ),
      Effect.forkChild,
    )
    yield* TestClock.adjust(wallMs)
    yield* Fiber.join(fiber)
    return got
  })

describe("the simulated source", () => {
  it.effect("at speed max streams 50 symbols x 30 minutes as the simulator's batches of that window", () =>
    Effect.gen(function* () {
      const o = { ...base, speed: "max", from: "10:00", to: "10:30" } as const
      const batches = yield* Stream.runCollect(simulatedTicks(o))
      const want = expected(o).batches
      expect(want.length).toBeGreaterThan(550)
      expect(batches).toEqual(want.map((b) => b.ticks))
    }),
  )

  it.effect("at speed 60 delivers each batch when its step ends: 30 market minutes in 30 wall seconds", () =>
    Effect.gen(function* () {
      const o = { ...base, speed: 60, from: "10:00", to: "10:30" } as const
      const { fromMs, batches } = expected(o)
      const got = yield* arrivals(o, 30_000)
      expect(got.map((g) => g.size)).toEqual(batches.map((b) => b.ticks.length))
      expect(got.map((g) => g.at)).toEqual(batches.map((b) => (b.dueMs - fromMs) / 60))
      expect(got.at(-1)?.at).toBe(30_000)
    }),
  )

  it.effect("at speed 600 skips the lunch break; with skipIdle false it waits through it", () =>
    Effect.gen(function* () {
      const o = { ...base, speed: 600, from: "11:25", to: "13:05" } as const
      const skipping = yield* arrivals(o, 2_000)
      expect(skipping.length).toBe(expected(o).batches.length)
      // 5 + 5 trading minutes at 600x take 1 s; the lunch's 90 minutes take none.
      expect(skipping.at(-1)?.at).toBeLessThanOrEqual(1_010)
      const waiting = yield* arrivals({ ...o, skipIdle: false }, 10_000)
      expect(waiting.at(-1)?.at).toBe(10_000)
    }),
  )

  it.effect("fails with SimulatorOptionsError on malformed options", () =>
    Effect.gen(function* () {
      const bad: ReadonlyArray<SimulatedSourceOptions> = [
        { ...base, speed: 0 },
        { ...base, speed: "max", from: "9:30" },
        { ...base, speed: "max", from: "10:00", to: "09:00" },
        { ...base, speed: "max", day: "2024-13-01" },
      ]
      for (const o of bad) {
        const error = yield* Effect.flip(Stream.runDrain(simulatedTicks(o)))
        expect(error._tag).toBe("SimulatorOptionsError")
      }
    }),
  )
})
