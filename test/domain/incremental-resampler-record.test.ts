import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import { makeIncrementalResampler } from "../../src/domain/incremental-resampler.ts"
import { PINGAN_BARS, readBars } from "./fixtures.ts"

const PERIODS = ["5m", "30m", "60m", "1d"] as const
const day = (): BarClosed[] => readBars(PINGAN_BARS).map((b) => ({ ...b, period: "1m" as const, rev: 0 }))

describe("recording 1m bars without computing buckets (what a projection does per batch)", () => {
  it("record, then bucketsOf, gives exactly the buckets push would have yielded last", () => {
    const bars = day()
    const pushed = makeIncrementalResampler(PERIODS)
    const recorded = makeIncrementalResampler(PERIODS)
    const last = new Map<string, unknown>()
    for (const b of bars) for (const u of pushed.push(b)) last.set(`${u.bar.period} ${u.bar.frame}`, u)
    for (const b of bars) expect(recorded.record(b)).toBe(true)
    for (const b of bars)
      for (const u of recorded.bucketsOf(b)) expect(u).toEqual(last.get(`${u.bar.period} ${u.bar.frame}`))
  })

  it("a duplicate records nothing; a revision after a bucket was read shows in the next read", () => {
    const all = day()
    const bars = all.filter((b) => b.frame.startsWith(all[0]!.frame.slice(0, 10)))
    const r = makeIncrementalResampler(["5m", "1d"])
    for (const b of bars) r.record(b)
    const first = bars[0]!
    expect(r.record(first)).toBe(false)
    const before = r.bucketsOf(first)
    expect(r.bucketsOf(first)).toEqual(before)
    const revised = { ...first, rev: 1, vol: first.vol + 100, high: first.high + 1 }
    expect(r.record(revised)).toBe(true)
    const after = r.bucketsOf(first)
    expect(after.map((u) => u.bar.vol)).toEqual(before.map((u) => u.bar.vol + 100))
    expect(after.map((u) => u.bar.rev)).toEqual(before.map((u) => u.bar.rev + 1))
    expect(after[1]!.bar.high).toBe(Math.max(before[1]!.bar.high, revised.high))
  })
})
