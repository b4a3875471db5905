import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Bar } from "../../src/domain/bar.ts"
import { resample } from "../../src/domain/resample.ts"
import { minuteBars } from "./bar-arbitrary.ts"
import { DAY, PINGAN_BARS, readBars, sym } from "./fixtures.ts"

const m1 = (hhmm: string, open: number, high: number, low: number, close: number, vol: number): Bar => ({
  symbol: sym("600000.SH"),
  frame: `${DAY} ${hhmm}:00`,
  ...{ open, high, low, close, vol, amount: vol * close },
})
const ohlcv = (b: Bar) => [b.open, b.high, b.low, b.close, b.vol]

describe("resampling 1m bars", () => {
  it("a 5m bar opens at its first traded bar, spans the traded bars' range, closes at its last bar", () => {
    const [bar] = resample(
      [
        m1("09:31", 9, 9, 9, 9, 0),
        m1("09:32", 10, 10.5, 9.9, 10.2, 100),
        m1("09:33", 10.2, 10.3, 9.8, 10, 200),
        m1("09:35", 10, 10, 10, 10, 0),
      ],
      "5m",
    )
    expect(bar!.frame).toBe(`${DAY} 09:35:00`)
    expect(ohlcv(bar!)).toEqual([10, 10.5, 9.8, 10, 300])
    expect(bar!.amount).toBe(3020)
  })

  it("a bucket without volume is flat at its last bar's close", () => {
    const [bar] = resample([m1("09:36", 10, 10, 10, 10, 0), m1("09:37", 10.1, 10.1, 10.1, 10.1, 0)], "5m")
    expect(ohlcv(bar!)).toEqual([10.1, 10.1, 10.1, 10.1, 0])
    expect(bar!.frame).toBe(`${DAY} 09:40:00`)
  })

  it("buckets do not span lunch: 11:30 closes the morning and 13:05 holds 13:01..13:05", () => {
    const bars = resample([m1("11:30", 10, 10, 10, 10, 1), m1("13:01", 11, 11, 11, 11, 1)], "5m")
    expect(bars.map((b) => b.frame.slice(11))).toEqual(["11:30:00", "13:05:00"])
  })

  it("60m bars end at 10:30, 11:30, 14:00 and 15:00", () => {
    const bars = resample(
      ["10:30", "10:31", "11:30", "13:01", "14:00", "14:01", "15:00"].map((t) => m1(t, 10, 10, 10, 10, 1)),
      "60m",
    )
    expect(bars.map((b) => [b.frame.slice(11, 16), b.vol])).toEqual([
      ["10:30", 1],
      ["11:30", 2],
      ["14:00", 2],
      ["15:00", 2],
    ])
  })

  it("a flat last bar off the traded range (inconsistent vendor input) still gives low <= close <= high", () => {
    const [bar] = resample([m1("09:31", 10, 10.2, 10, 10.1, 100), m1("09:32", 9.8, 9.8, 9.8, 9.8, 0)], "5m")
    expect(ohlcv(bar!)).toEqual([10, 10.2, 9.8, 9.8, 100])
  })

  it("unsorted input is sorted first, and of two bars with the same frame the later one wins", () => {
    const bars = resample(
      [m1("09:33", 10, 10, 10, 10, 5), m1("09:31", 9, 9, 9, 9, 1), m1("09:33", 11, 11, 11, 11, 7)],
      "5m",
    )
    expect(ohlcv(bars[0]!)).toEqual([9, 11, 9, 11, 8])
  })

  it("bars off the 240-minute grid are skipped", () => {
    expect(resample([m1("09:30", 10, 10, 10, 10, 5), m1("12:00", 10, 10, 10, 10, 5)], "1d")).toEqual([])
  })

  it("the daily bar is framed by the day and sums the day's bars", () => {
    const [day] = resample(
      [m1("09:31", 10, 10.5, 10, 10.2, 100), m1("15:00", 10.2, 10.4, 9.5, 9.9, 50)],
      "1d",
    )
    expect(day).toEqual({ ...m1("09:31", 10, 10.5, 9.5, 9.9, 150), frame: DAY, amount: 1515 })
  })
})

describe("resampling 000001.SZ 1m bars, 2018-01-02 .. 2018-01-15 (real vendor bars)", () => {
  const bars = readBars(PINGAN_BARS)
  const days = [...new Set(bars.map((b) => b.frame.slice(0, 10)))]

  it("gives 48 5m, 8 30m, 4 60m bars and 1 daily bar per day", () => {
    expect(days).toHaveLength(10)
    expect(resample(bars, "5m")).toHaveLength(480)
    expect(resample(bars, "30m")).toHaveLength(80)
    expect(resample(bars, "60m")).toHaveLength(40)
    expect(resample(bars, "1d").map((b) => b.frame)).toEqual(days)
  })

  it("each daily bar follows the rules over the day's 240 bars (vol is their sum)", () => {
    for (const d of resample(bars, "1d")) {
      const mine = bars.filter((b) => b.frame.startsWith(d.frame))
      const traded = mine.filter((b) => b.vol > 0)
      expect(mine).toHaveLength(240)
      expect(d.vol).toBe(mine.reduce((s, b) => s + b.vol, 0))
      expect(d.amount).toBeCloseTo(
        mine.reduce((s, b) => s + b.amount, 0),
        2,
      )
      expect([d.open, d.high, d.low, d.close]).toEqual([
        traded[0]!.open,
        Math.max(...traded.map((b) => b.high)),
        Math.min(...traded.map((b) => b.low)),
        mine[239]!.close,
      ])
    }
  })

  it("the 10:00 30m bar of 2018-01-02 covers 09:31..10:00", () => {
    const bucket = bars.filter((b) => b.frame >= "2018-01-02 09:31" && b.frame <= "2018-01-02 10:00:00")
    const [bar] = resample(bucket, "30m")
    expect(bar).toMatchObject({
      frame: "2018-01-02 10:00:00",
      open: bucket[0]!.open,
      close: bucket[29]!.close,
    })
    expect(bar!.vol).toBe(bucket.reduce((s, b) => s + b.vol, 0))
  })

  it("5m then 30m and 30m then 1d give what 1m gives directly", () => {
    expect(resample(resample(bars, "5m"), "30m")).toEqual(resample(bars, "30m"))
    expect(resample(resample(bars, "30m"), "1d")).toEqual(resample(bars, "1d"))
  })
})

describe("resampling properties", () => {
  it("1m -> 5m -> 30m equals 1m -> 30m, and 1m -> 30m -> 60m -> 1d equals 1m -> 1d", () => {
    fc.assert(
      fc.property(minuteBars, (bars) => {
        expect(resample(resample(bars, "5m"), "30m")).toEqual(resample(bars, "30m"))
        expect(resample(resample(resample(bars, "30m"), "60m"), "1d")).toEqual(resample(bars, "1d"))
      }),
    )
  })

  it("volume is conserved and resampled bars keep low <= open, close <= high", () => {
    fc.assert(
      fc.property(minuteBars, fc.constantFrom("5m", "30m", "60m", "1d" as const), (bars, period) => {
        const out = resample(bars, period)
        expect(out.reduce((s, b) => s + b.vol, 0)).toBe(bars.reduce((s, b) => s + b.vol, 0))
        for (const b of out)
          expect(b.low <= Math.min(b.open, b.close) && Math.max(b.open, b.close) <= b.high).toBe(true)
      }),
    )
  })
})
