import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { makeMarketSimulator } from "../../../src/adapters/simulator/market-simulator.ts"
import { isSymbolCode } from "../../../src/domain/symbol.ts"
import { Tick } from "../../../src/domain/tick.ts"

const DAY = "2024-06-12"

/** A fingerprint of a tick sequence: any change of value, order or count changes it. */
const digest = (ticks: Iterable<Tick>): string => {
  let h = 0x811c9dc5
  let count = 0
  const add = (x: number) => {
    h = Math.imul(h ^ (x | 0), 0x01000193) ^ Math.imul(h ^ Math.floor(x / 4_294_967_296), 0x5bd1e995)
  }
  for (const t of ticks) {
    count++
    add(Number(t.symbol.slice(0, 6)))
    add(t.time)
    add(t.lastPrice * 100)
    add(t.open * 100)
    add(t.high * 100)
    add(t.low * 100)
    add(t.amount * 100)
    add(t.pvolume ?? -1)
  }
  return `${count}:${h >>> 0}`
}

function* allTicks(sim: ReturnType<typeof makeMarketSimulator>, windowMs: number): Generator<Tick> {
  for (let from = sim.marketTime("09:00"); from < sim.marketTime("15:10"); from += windowMs) {
    yield* sim.ticksBetween(from, from + windowMs)
  }
}

const FULL_DAY = 7 * 3_600_000

describe("the market simulator", () => {
  it("gives the same day for the same seed, a different day for another seed or date", () => {
    const day = digest(allTicks(makeMarketSimulator({ seed: 1, day: DAY, symbols: 300 }), FULL_DAY))
    expect(digest(allTicks(makeMarketSimulator({ seed: 1, day: DAY, symbols: 300 }), FULL_DAY))).toBe(day)
    expect(digest(allTicks(makeMarketSimulator({ seed: 2, day: DAY, symbols: 300 }), FULL_DAY))).not.toBe(day)
    const closes = (date: string) => {
      const sim = makeMarketSimulator({ seed: 1, day: date, symbols: 300 })
      return sim.ticksBetween(sim.marketTime("15:00"), sim.marketTime("15:00:03")).map((t) => t.lastPrice)
    }
    expect(closes("2024-06-13")).not.toEqual(closes(DAY))
  })

  it("gives the same ticks for consecutive windows as for their union, wherever the edges fall", () => {
    const whole = digest(allTicks(makeMarketSimulator({ seed: 5, day: DAY, symbols: 300 }), FULL_DAY))
    expect(digest(allTicks(makeMarketSimulator({ seed: 5, day: DAY, symbols: 300 }), 60_000))).toBe(whole)
    // 7,777 ms: edges inside steps, so some steps' ticks are split between two windows by their own times.
    expect(digest(allTicks(makeMarketSimulator({ seed: 5, day: DAY, symbols: 300 }), 7_777))).toBe(whole)
  })

  it("gives a window the same ticks whatever was asked before, in any order", () => {
    const fresh = () => makeMarketSimulator({ seed: 9, day: DAY, symbols: 200 })
    const sim = fresh()
    const window = (hhmm: string, minutes: number) => [
      sim.marketTime(hhmm),
      sim.marketTime(hhmm) + minutes * 60_000,
    ]
    const [a0, a1] = window("14:10", 5)
    const [b0, b1] = window("10:02", 3)
    const late = sim.ticksBetween(a0, a1)
    const early = sim.ticksBetween(b0, b1)
    expect(sim.ticksBetween(a0, a1)).toEqual(late)
    expect(fresh().ticksBetween(b0, b1)).toEqual(early)
    expect(fresh().ticksBetween(a0, a1)).toEqual(late)
    expect(late.length).toBeGreaterThan(0)
  })

  it("makes ticks that decode as domain Ticks with valid symbols", () => {
    const sim = makeMarketSimulator({ seed: 3, day: DAY, symbols: 50 })
    const ticks = sim.ticksBetween(sim.marketTime("09:00"), sim.marketTime("15:10"))
    expect(ticks.length).toBeGreaterThan(50_000)
    const decode = Schema.decodeUnknownResult(Tick)
    const failures = ticks.filter((t) => Result.isFailure(decode(t)) || !isSymbolCode(t.symbol))
    expect(failures).toEqual([])
  })

  it("batches a step's snapshots with each symbol at most once, due at the step's end", () => {
    const sim = makeMarketSimulator({ seed: 3, day: DAY, symbols: 300 })
    for (const b of sim.batches(sim.marketTime("10:00"), sim.marketTime("10:05"))) {
      expect(new Set(b.ticks.map((t) => t.symbol)).size).toBe(b.ticks.length)
      expect(b.ticks.every((t) => t.time >= b.dueMs - 3_000 && t.time < b.dueMs)).toBe(true)
    }
  })

  it("lists instruments as reference data", () => {
    const sim = makeMarketSimulator({ seed: 3, day: DAY, symbols: 10 })
    const [first] = sim.instruments()
    expect(Object.keys(first ?? {}).sort()).toEqual([
      "limitDown",
      "limitUp",
      "name",
      "preClose",
      "st",
      "symbol",
    ])
  })

  it("refuses a malformed day or tick interval", () => {
    expect(() => makeMarketSimulator({ seed: 1, day: "2024-02-30" })).toThrow(RangeError)
    expect(() => makeMarketSimulator({ seed: 1, day: DAY, tickIntervalMs: 7_000 })).toThrow(RangeError)
  })
})
