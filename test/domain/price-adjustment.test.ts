import { describe, expect, it } from "vitest"
import {
  adjustmentFactors,
  adjustPrices,
  factorOn,
  OHLC,
  priceMultipliers,
} from "../../src/domain/price-adjustment.ts"

// A 10-for-10 bonus issue on 2024-01-04 halves the price: the cumulative factor doubles that day.
const factors = adjustmentFactors([
  { day: "2024-01-04", factor: 2 },
  { day: "2024-01-02", factor: 1 },
  { day: "2024-01-08", factor: 2.2 },
])

const frames = [
  "2024-01-01 15:00:00",
  "2024-01-02 09:31:00",
  "2024-01-03 15:00:00",
  "2024-01-04 09:31:00",
  "2024-01-05 15:00:00",
  "2024-01-08 15:00:00",
  "2024-01-09 10:00:00",
]

const round = (xs: ArrayLike<number>) => Array.from(xs, (x) => Math.round(x * 1e9) / 1e9)

describe("price adjustment by the cumulative back-adjustment factor", () => {
  it("known factors are sorted by day, and unusable ones count as unknown", () => {
    expect(factors.days).toEqual(["2024-01-02", "2024-01-04", "2024-01-08"])
    const odd = adjustmentFactors([
      { day: "2024-01-02", factor: 0 },
      { day: "2024-01-03", factor: Number.NaN },
      { day: "2024-01-04", factor: 3 },
    ])
    expect(odd.days).toEqual(["2024-01-04"])
  })

  it("a day without a factor takes the nearest earlier one, and 1 before the first", () => {
    expect(factorOn(factors, "2024-01-01")).toBe(1)
    expect(factorOn(factors, "2024-01-03 15:00:00")).toBe(1)
    expect(factorOn(factors, "2024-01-04")).toBe(2)
    expect(factorOn(factors, "2024-01-04 09:31:00")).toBe(2)
    expect(factorOn(factors, "2024-01-07 15:00:00")).toBe(2)
    expect(factorOn(factors, "2030-01-01")).toBe(2.2)
  })

  it("back multiplies by the bar's day factor", () => {
    expect(round(priceMultipliers("back", factors, frames))).toEqual([1, 1, 1, 2, 2, 2.2, 2.2])
  })

  it("front divides that by the latest known factor, so the latest prices stay as traded", () => {
    expect(round(priceMultipliers("front", factors, frames))).toEqual(
      round([1 / 2.2, 1 / 2.2, 1 / 2.2, 2 / 2.2, 2 / 2.2, 1, 1]),
    )
  })

  it("bars out of frame order get the same multipliers as in order", () => {
    const shuffled = [frames[5]!, frames[0]!, frames[3]!, frames[6]!, frames[2]!]
    expect(round(priceMultipliers("back", factors, shuffled))).toEqual([2.2, 1, 2, 2.2, 1])
  })

  it("none, or a symbol without any factor, leaves prices as traded", () => {
    expect(round(priceMultipliers("none", factors, frames))).toEqual(frames.map(() => 1))
    expect(round(priceMultipliers("front", adjustmentFactors([]), frames))).toEqual(frames.map(() => 1))
  })

  it("prices are adjusted across a factor change; volume and amount are not", () => {
    const columns = {
      open: Float64Array.of(20, 10),
      high: Float64Array.of(21, 11),
      low: Float64Array.of(19, 9),
      close: Float64Array.of(20.5, 10.5),
      vol: Float64Array.of(100, 200),
      amount: Float64Array.of(2000, 2000),
    }
    const days = ["2024-01-03 15:00:00", "2024-01-04 09:31:00"]
    const back = adjustPrices("back", factors, days, columns, OHLC)
    expect([...back.close]).toEqual([20.5, 21])
    expect([...back.open]).toEqual([20, 20])
    expect(back.vol).toBe(columns.vol)
    expect(back.amount).toBe(columns.amount)
    const front = adjustPrices("front", factors, days, columns, OHLC)
    expect(round(front.high)).toEqual(round([21 / 2.2, 22 / 2.2]))
    expect([...columns.open]).toEqual([20, 10])
    expect(adjustPrices("none", factors, days, columns, OHLC)).toBe(columns)
  })
})
