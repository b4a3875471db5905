import { describe, expect, it } from "vitest"
import type { Bar } from "../../src/domain/bar.ts"
import { barsFromTicks } from "../../src/domain/bars-from-ticks.ts"
import type { Tick } from "../../src/domain/tick.ts"
import { at, DAY, MOUTAI_TICKS, readTicks, tickFeed } from "./fixtures.ts"

const barAt = (bars: ReadonlyArray<Bar>, hhmm: string): Bar =>
  bars.find((b) => b.frame === `${DAY} ${hhmm}:00`)!
const ohlc = (b: Bar) => [b.open, b.high, b.low, b.close]

describe("1m bars from ticks (batch)", () => {
  it("a symbol that traded gets all 240 bars of the day; one that never traded gets none", () => {
    const a = tickFeed("600000.SH")
    const b = tickFeed("000001.SZ")
    const bars = barsFromTicks([b.quiet("09:20:00"), a.trade("10:00:05", 10.5), b.quiet("10:00:06")])
    expect(bars).toHaveLength(240)
    expect(new Set(bars.map((x) => x.symbol))).toEqual(new Set(["600000.SH"]))
    expect(bars[0]!.frame).toBe(`${DAY} 09:31:00`)
    expect(bars[239]!.frame).toBe(`${DAY} 15:00:00`)
  })

  it("the opening auction trade at 09:25 opens the 09:31 bar", () => {
    const f = tickFeed()
    const bars = barsFromTicks([f.trade("09:25:01", 10.2, 500), f.trade("09:30:10", 10.3, 100)])
    expect(ohlc(barAt(bars, "09:31"))).toEqual([10.2, 10.3, 10.2, 10.3])
    expect(barAt(bars, "09:31").vol).toBe(600)
  })

  it("a trade reported at 11:30:02 lands in the 11:30 bar, and 13:01 starts afresh", () => {
    const f = tickFeed()
    const bars = barsFromTicks([
      f.trade("11:29:58", 10, 100),
      f.trade("11:30:02", 10.1, 200),
      f.trade("13:00:03", 9.9),
    ])
    expect(barAt(bars, "11:30").vol).toBe(300)
    expect(barAt(bars, "11:30").close).toBe(10.1)
    expect(ohlc(barAt(bars, "13:01"))).toEqual([9.9, 9.9, 9.9, 9.9])
  })

  it("the closing auction at 15:00:02 lands in the 15:00 bar; ticks from 15:05 on are ignored", () => {
    const f = tickFeed()
    const bars = barsFromTicks([
      f.trade("14:58:30", 10),
      f.trade("15:00:02", 10.2, 5000),
      f.trade("15:05:00", 11, 700),
    ])
    expect(barAt(bars, "15:00").vol).toBe(5000)
    expect(barAt(bars, "15:00").close).toBe(10.2)
    expect(bars.reduce((s, b) => s + b.vol, 0)).toBe(5100)
  })

  it("a bar without trades has zero volume and is flat at the previous bar's close", () => {
    const f = tickFeed()
    const bars = barsFromTicks([f.trade("09:30:05", 10), f.trade("09:30:50", 10.4), f.quiet("09:31:30")])
    expect({ vol: barAt(bars, "09:32").vol, amount: barAt(bars, "09:32").amount }).toEqual({
      vol: 0,
      amount: 0,
    })
    expect(ohlc(barAt(bars, "09:32"))).toEqual([10.4, 10.4, 10.4, 10.4])
    expect(ohlc(barAt(bars, "15:00"))).toEqual([10.4, 10.4, 10.4, 10.4])
  })

  it("bars before the first trade of the day are flat at the previous day's close (lastClose)", () => {
    const f = tickFeed("600000.SH", 9.87)
    const bars = barsFromTicks([f.quiet("09:25:00"), f.trade("09:45:10", 10)])
    expect(ohlc(barAt(bars, "09:31"))).toEqual([9.87, 9.87, 9.87, 9.87])
    expect(ohlc(barAt(bars, "09:45"))).toEqual([9.87, 9.87, 9.87, 9.87])
    expect(barAt(bars, "09:46").open).toBe(10)
  })

  it("high and low also take the day high/low when they moved between two snapshots", () => {
    const f = tickFeed()
    const bars = barsFromTicks([
      f.trade("09:30:01", 10),
      f.trade("09:31:01", 10.1, 100, { high: 10.6 }),
      f.trade("09:32:01", 10.0, 100, { low: 9.5 }),
      f.trade("09:33:01", 10.0, 100, { high: 10.6, low: 9.5 }),
    ])
    expect(ohlc(barAt(bars, "09:32"))).toEqual([10.1, 10.6, 10.1, 10.1])
    expect(ohlc(barAt(bars, "09:33"))).toEqual([10, 10, 9.5, 10])
    expect(ohlc(barAt(bars, "09:34"))).toEqual([10, 10, 10, 10])
  })

  it("the first trade of the day takes the day's range so far, as it takes all the volume so far", () => {
    const f = tickFeed()
    expect(ohlc(barsFromTicks([f.trade("09:35:00", 10, 100, { high: 10.5, low: 9.8 })])[5]!)).toEqual([
      10, 10.5, 9.8, 10,
    ])
  })

  it("a snapshot whose volume did not rise sets no price", () => {
    const f = tickFeed()
    const moved: Tick = { ...f.quiet("09:30:30"), lastPrice: 12, high: 12 }
    const bars = barsFromTicks([f.trade("09:30:01", 10), moved])
    expect(ohlc(barAt(bars, "09:31"))).toEqual([10, 10, 10, 10])
  })

  it("a tick whose cumulative volume falls is rejected and changes nothing", () => {
    const f = tickFeed()
    const good = [f.trade("09:30:01", 10, 300), f.trade("09:30:20", 10.1, 100)]
    const bad: Tick = { ...good[1]!, time: at("09:30:30"), pvolume: 200, volume: 2, lastPrice: 50 }
    const rejected: string[] = []
    const bars = barsFromTicks([...good, bad, f.trade("09:31:05", 10.2)], (_, reason) =>
      rejected.push(reason),
    )
    expect(rejected).toEqual(["cumulative volume fell from 400 to 200 shares"])
    expect(barAt(bars, "09:31").high).toBe(10.1)
    expect(barsFromTicks(good)[0]).toEqual(bars[0])
  })

  it("volume is pvolume in shares, or volume (lots) x 100 when pvolume is absent", () => {
    const { pvolume: _, ...lots } = { ...tickFeed().trade("09:30:01", 10, 1234), volume: 12 }
    expect(barsFromTicks([lots])[0]!.vol).toBe(1200)
    expect(barsFromTicks([tickFeed().trade("09:30:01", 10, 1234)])[0]!.vol).toBe(1234)
  })

  it("amounts are rounded to the cent", () => {
    const f = tickFeed()
    const ticks = [f.trade("09:30:01", 0.1, 1), f.trade("09:30:02", 0.2, 1)]
    expect(barsFromTicks(ticks)[0]!.amount).toBe(0.3)
  })

  it("bars are sorted by symbol then frame, over several days", () => {
    const a = tickFeed("600000.SH")
    const b = tickFeed("000001.SZ")
    const day1 = [a.trade("09:30:01", 10), b.trade("09:30:01", 5)]
    a.newDay(10)
    const day2 = [a.trade("09:30:01", 11, 100, {}, "2023-02-02")]
    const bars = barsFromTicks([...day1, ...day2])
    expect(bars.map((x) => `${x.symbol} ${x.frame.slice(0, 10)}`).filter((_, i) => i % 240 === 0)).toEqual([
      "000001.SZ 2023-02-01",
      "600000.SH 2023-02-01",
      "600000.SH 2023-02-02",
    ])
    expect(bars[480]!.vol).toBe(100)
  })
})

describe("1m bars of 600519.SH on 2023-02-01 (real SSE snapshots)", () => {
  const bars = barsFromTicks(readTicks(MOUTAI_TICKS))

  it("gives 240 bars whose totals equal the exchange's", () => {
    expect(bars).toHaveLength(240)
    expect(bars.reduce((s, b) => s + b.vol, 0)).toBe(3_397_389)
    expect(bars.reduce((s, b) => s + b.amount, 0).toFixed(2)).toBe("6244678924.61")
    expect(bars[0]!.open).toBe(1854.98)
    expect(Math.max(...bars.map((b) => b.high))).toBe(1859)
    expect(Math.min(...bars.map((b) => b.low))).toBe(1811.4)
    expect(bars[239]!.close).toBe(1844.97)
  })

  it("the 15:00 bar holds the closing auction and 14:59 has zero volume", () => {
    expect(barAt(bars, "15:00")).toMatchObject({ vol: 45_912, close: 1844.97 })
    expect(barAt(bars, "14:59")).toMatchObject({ vol: 0, amount: 0, open: 1843.1, close: 1843.1 })
  })

  it("every bar has low <= open, close <= high", () => {
    for (const b of bars)
      expect(b.low <= Math.min(b.open, b.close) && Math.max(b.open, b.close) <= b.high).toBe(true)
  })
})
