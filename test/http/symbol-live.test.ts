import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import type { SymbolCode } from "../../src/domain/symbol.ts"
import { applyBar, firstSight } from "../../src/http/symbol-live.ts"

const bar = (frame: string, vol: number, rev = 0, close = 10): BarClosed => ({
  symbol: "000001.SZ" as SymbolCode,
  period: "1m",
  frame,
  open: close,
  high: close,
  low: close,
  close,
  vol,
  amount: vol * close,
  rev,
})

describe("the latest-bar view's rules for one symbol", () => {
  it("at first sight the day's volume comes from the daily table of that day, the previous close from the day before", () => {
    const s = firstSight(bar("2024-03-05 10:00:00", 5), [
      { day: "2024-03-05", close: 10.2, vol: 1_000 },
      { day: "2024-03-04", close: 9.9, vol: 9_000 },
    ])
    expect([s.dayVol, s.prevClose]).toEqual([1_000, 9.9])
    const noToday = firstSight(bar("2024-03-06 09:31:00", 5), [
      { day: "2024-03-05", close: 10.2, vol: 1_000 },
    ])
    expect([noToday.dayVol, noToday.prevClose]).toEqual([5, 10.2])
  })

  it("newer minutes add their volume; an older or already-seen revision changes nothing", () => {
    const s = firstSight(bar("2024-03-05 09:31:00", 100), [])
    expect(applyBar(s, bar("2024-03-05 09:32:00", 50))).toBe(true)
    expect(s.dayVol).toBe(150)
    expect(applyBar(s, bar("2024-03-05 09:32:00", 50))).toBe(false)
    expect(applyBar(s, bar("2024-03-04 14:59:00", 7))).toBe(false)
    expect([s.bar.frame, s.dayVol]).toEqual(["2024-03-05 09:32:00", 150])
  })

  it("a revision corrects the day's volume by its difference; of the newest minute it also becomes the bar", () => {
    const s = firstSight(bar("2024-03-05 09:31:00", 100), [])
    applyBar(s, bar("2024-03-05 09:32:00", 50))
    expect(applyBar(s, bar("2024-03-05 09:31:00", 120, 1))).toBe(true)
    expect([s.bar.frame, s.dayVol]).toEqual(["2024-03-05 09:32:00", 170])
    applyBar(s, bar("2024-03-05 09:32:00", 40, 1, 11))
    expect([s.bar.close, s.bar.rev, s.dayVol]).toEqual([11, 1, 160])
  })

  it("the first bar of a new day resets the volume and keeps the last close as the previous close", () => {
    const s = firstSight(bar("2024-03-05 15:00:00", 100, 0, 10.5), [])
    applyBar(s, bar("2024-03-06 09:31:00", 30))
    expect([s.dayVol, s.prevClose, s.recent.length]).toEqual([30, 10.5, 1])
  })
})
