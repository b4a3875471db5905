import { describe, expect, it } from "vitest"
import { formatFrame } from "../../src/domain/market-time.ts"
import { barEndOfTick } from "../../src/domain/minute-of-tick.ts"
import { at } from "./fixtures.ts"

const barOf = (time: string): string | undefined => {
  const end = barEndOfTick(at(time))
  return end === undefined ? undefined : formatFrame(end).slice(11, 16)
}

describe("the bar a tick lands in", () => {
  it.each([
    ["08:45:00", "09:31"],
    ["09:25:01", "09:31"],
    ["09:29:59.999", "09:31"],
  ])("a tick at %s before the open (opening auction) lands in the %s bar", (t, bar) => {
    expect(barOf(t)).toBe(bar)
  })

  it.each([
    ["09:30:00", "09:31"],
    ["09:30:59.999", "09:31"],
    ["09:31:00", "09:32"],
    ["10:15:30", "10:16"],
    ["11:29:59.999", "11:30"],
    ["13:00:00", "13:01"],
    ["13:00:59.999", "13:01"],
    ["14:59:59.999", "15:00"],
  ])("a tick at %s in a session lands in the bar ending at the next whole minute, %s", (t, bar) => {
    expect(barOf(t)).toBe(bar)
  })

  it.each(["11:30:00", "11:30:02", "12:00:00", "12:59:59.999"])(
    "a tick at %s over lunch lands in the 11:30 bar",
    (t) => {
      expect(barOf(t)).toBe("11:30")
    },
  )

  it.each(["15:00:00", "15:00:02", "15:04:59.999"])(
    "a tick at %s (closing auction) lands in the 15:00 bar",
    (t) => {
      expect(barOf(t)).toBe("15:00")
    },
  )

  it.each(["15:05:00", "15:30:00", "23:59:59"])("a tick at %s is ignored", (t) => {
    expect(barOf(t)).toBeUndefined()
  })
})
