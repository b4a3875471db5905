import { describe, expect, it } from "vitest"
import { makeMarketClock } from "../../../src/adapters/simulator/market-clock.ts"
import { parseShanghai } from "../../../src/domain/market-time.ts"

const at = (hhmmss: string) => parseShanghai(`2024-06-12 ${hhmmss}`)
const WALL = 1_000_000
const LUNCH = [at("11:30:03"), at("13:00:00")] as const

describe("the market clock", () => {
  it("at speed 1 runs market time with the wall clock", () => {
    const clock = makeMarketClock({ speed: 1, startMarketMs: at("09:30:00"), startWallMs: WALL })
    expect(clock.marketAt(WALL + 90_000)).toBe(at("09:31:30"))
    expect(clock.wallAt(at("10:00:00"))).toBe(WALL + 30 * 60_000)
  })

  it("at speed 60 runs a market minute per wall second", () => {
    const clock = makeMarketClock({ speed: 60, startMarketMs: at("09:30:00"), startWallMs: WALL })
    expect(clock.marketAt(WALL + 1_000)).toBe(at("09:31:00"))
    expect(clock.marketAt(WALL + 30_000)).toBe(at("10:00:00"))
    expect(clock.wallAt(at("09:30:03"))).toBe(WALL + 50)
  })

  it("skips a gap in no wall time: the step after 11:30 is followed by 13:00", () => {
    const clock = makeMarketClock({
      speed: 60,
      startMarketMs: at("11:29:00"),
      startWallMs: WALL,
      gaps: [LUNCH],
    })
    expect(clock.wallAt(at("11:30:03"))).toBe(WALL + 1_050)
    expect(clock.wallAt(at("13:00:00"))).toBe(WALL + 1_050)
    expect(clock.marketAt(WALL + 1_050)).toBe(at("13:00:00"))
    expect(clock.marketAt(WALL + 2_050)).toBe(at("13:01:00"))
    expect(clock.marketAt(WALL + 1_000)).toBe(at("11:30:00"))
  })

  it("skips the part of a gap that lies after its start", () => {
    const clock = makeMarketClock({
      speed: 10,
      startMarketMs: at("12:00:00"),
      startWallMs: WALL,
      gaps: [LUNCH],
    })
    expect(clock.marketAt(WALL)).toBe(at("13:00:00"))
    expect(clock.wallAt(at("13:00:10"))).toBe(WALL + 1_000)
  })

  it("is its own inverse outside gaps", () => {
    const clock = makeMarketClock({
      speed: 37,
      startMarketMs: at("09:15:00"),
      startWallMs: WALL,
      gaps: [LUNCH],
    })
    for (const t of ["09:20:00", "11:00:07", "11:30:02", "13:00:01", "14:59:59"]) {
      expect(clock.marketAt(clock.wallAt(at(t)))).toBeCloseTo(at(t), 3)
    }
  })

  it("refuses a speed that is not a positive number", () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => makeMarketClock({ speed, startMarketMs: 0, startWallMs: 0 })).toThrow(RangeError)
    }
  })
})
