import { describe, expect, it } from "vitest"
import {
  bucketFrame,
  bucketGrid,
  SLOT_LABELS,
  slotOfFrame,
  slotsEndedBy,
} from "../../src/domain/session-grid.ts"

const ends = (period: "5m" | "30m" | "60m") => bucketGrid(period).labels.map((l) => l.slice(0, 5))

describe("the session grid", () => {
  it("a day has 240 bars, 09:31 .. 11:30 and 13:01 .. 15:00", () => {
    expect(SLOT_LABELS).toHaveLength(240)
    expect([SLOT_LABELS[0], SLOT_LABELS[119], SLOT_LABELS[120], SLOT_LABELS[239]]).toEqual([
      "09:31:00",
      "11:30:00",
      "13:01:00",
      "15:00:00",
    ])
  })

  it("5m buckets end at 09:35 .. 11:30 and 13:05 .. 15:00", () => {
    const e = ends("5m")
    expect(e).toHaveLength(48)
    expect([e[0], e[23], e[24], e[47]]).toEqual(["09:35", "11:30", "13:05", "15:00"])
  })

  it("30m buckets end at 10:00, 10:30, 11:00, 11:30, 13:30, 14:00, 14:30, 15:00", () => {
    expect(ends("30m")).toEqual(["10:00", "10:30", "11:00", "11:30", "13:30", "14:00", "14:30", "15:00"])
  })

  it("60m buckets end at 10:30, 11:30, 14:00, 15:00", () => {
    expect(ends("60m")).toEqual(["10:30", "11:30", "14:00", "15:00"])
  })

  it("1d is one bucket of all 240 bars, framed by the day alone", () => {
    const g = bucketGrid("1d")
    expect([g.bucketCount, g.firstSlot[0], g.lastSlot[0]]).toEqual([1, 0, 239])
    expect(bucketFrame(g, "2023-02-01", 0)).toBe("2023-02-01")
  })

  it("a frame maps to its slot, and frames off the grid to -1", () => {
    expect(slotOfFrame("2023-02-01 09:31:00")).toBe(0)
    expect(slotOfFrame("2023-02-01 13:01:00")).toBe(120)
    expect(slotOfFrame("2023-02-01 15:00:00")).toBe(239)
    for (const off of [
      "2023-02-01 09:30:00",
      "2023-02-01 12:00:00",
      "2023-02-01 09:31:30",
      "2023-02-01",
      "x",
    ]) {
      expect(slotOfFrame(off)).toBe(-1)
    }
  })

  it("a clock at a bar's end has passed it, a millisecond before has not", () => {
    const ms = (h: number, m: number) => (h * 60 + m) * 60_000
    expect(slotsEndedBy(ms(9, 31) - 1)).toBe(0)
    expect(slotsEndedBy(ms(9, 31))).toBe(1)
    expect(slotsEndedBy(ms(12, 0))).toBe(120)
    expect(slotsEndedBy(ms(15, 0))).toBe(240)
  })
})
