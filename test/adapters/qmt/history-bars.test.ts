import { describe, expect, it } from "vitest"
import type { QmtMinuteBar } from "../../../src/adapters/qmt/bridge-line.ts"
import { historyDay } from "../../../src/adapters/qmt/history-bars.ts"
import { parseShanghai } from "../../../src/domain/market-time.ts"
import type { SymbolCode } from "../../../src/domain/symbol.ts"

const bar = (
  hhmm: string,
  o: number,
  h: number,
  l: number,
  c: number,
  lots: number,
  amount: number,
): QmtMinuteBar => ({
  symbol: "000001.SZ" as SymbolCode,
  time: parseShanghai(`2024-03-05 ${hhmm}`),
  open: o,
  high: h,
  low: l,
  close: c,
  volume: lots,
  amount,
})

describe("QMT history bars -> a live day's bars", () => {
  it("the 09:30 opening-auction bar is folded into 09:31: its price opens the day, its volume counts there", () => {
    const day = historyDay([
      bar("09:30", 10.5, 10.5, 10.5, 10.5, 100, 105_000),
      bar("09:31", 10.4, 10.6, 10.3, 10.55, 50, 52_500),
    ])
    expect(day.bars[0]).toEqual({
      symbol: "000001.SZ",
      frame: "2024-03-05 09:31:00",
      open: 10.5,
      high: 10.6,
      low: 10.3,
      close: 10.55,
      vol: 15_000,
      amount: 157_500,
      period: "1m",
      rev: 0,
    })
  })

  it("a day always has 240 bars, missing minutes flat at the close before them", () => {
    const day = historyDay([bar("09:31", 10, 10, 10, 10, 1, 1_000), bar("13:01", 11, 12, 11, 12, 2, 2_300)])
    expect(day.bars).toHaveLength(240)
    expect(day.bars[1]).toMatchObject({
      frame: "2024-03-05 09:32:00",
      open: 10,
      high: 10,
      low: 10,
      close: 10,
      vol: 0,
    })
    expect(day.bars[120]).toMatchObject({ frame: "2024-03-05 13:01:00", close: 12, vol: 200 })
    expect(day.bars[239]).toMatchObject({ frame: "2024-03-05 15:00:00", close: 12, vol: 0 })
  })

  it("bars outside the 240 session minutes are dropped with the reason", () => {
    const day = historyDay([bar("09:31", 10, 10, 10, 10, 1, 1_000), bar("15:30", 10, 10, 10, 10, 1, 1_000)])
    expect(day.dropped.map((d) => d.reason)).toEqual(["2024-03-05 15:30:00 is not a session minute"])
    expect(day.bars).toHaveLength(240)
  })

  it("a zero-volume auction bar (no auction trades) changes nothing", () => {
    const day = historyDay([bar("09:30", 9, 9, 9, 9, 0, 0), bar("09:31", 10, 11, 10, 11, 1, 1_050)])
    expect(day.bars[0]).toMatchObject({ open: 10, high: 11, low: 10, close: 11, vol: 100, amount: 1_050 })
  })
})
