import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Bar, BarClosed } from "../../src/domain/bar.ts"
import { compareBars, toBar } from "../../src/domain/bar-order.ts"
import { makeIncrementalResampler, type ResampledBar } from "../../src/domain/incremental-resampler.ts"
import { resample } from "../../src/domain/resample.ts"
import type { ResamplePeriod } from "../../src/domain/session-grid.ts"
import { minuteBars } from "./bar-arbitrary.ts"
import { DAY, PINGAN_BARS, readBars, sym } from "./fixtures.ts"

const PERIODS: ReadonlyArray<ResamplePeriod> = ["5m", "30m", "60m", "1d"]
const closed = (b: Bar, rev = 0): BarClosed => ({ ...b, period: "1m", rev })
const m1 = (hhmm: string, close: number, vol: number, rev = 0): BarClosed =>
  closed(
    {
      symbol: sym("600000.SH"),
      frame: `${DAY} ${hhmm}:00`,
      open: close,
      high: close,
      low: close,
      close,
      vol,
      amount: vol * close,
    },
    rev,
  )

/** Per period, the highest-rev bar of each bucket, as plain bars in file order. */
const settled = (updates: ReadonlyArray<ResampledBar>, period: ResamplePeriod): Bar[] => {
  const best = new Map<string, BarClosed>()
  for (const { bar } of updates) {
    if (bar.period !== period) continue
    const key = `${bar.symbol} ${bar.frame}`
    if ((best.get(key)?.rev ?? -1) < bar.rev) best.set(key, bar)
  }
  return [...best.values()].map(toBar).sort(compareBars)
}

const pushAll = (bars: ReadonlyArray<BarClosed>): ResampledBar[] => {
  const r = makeIncrementalResampler(PERIODS, { retainDays: 31 })
  return bars.flatMap((b) => r.push(b))
}

describe("incremental resampling", () => {
  it("yields the bucket in progress after each 1m bar and the final one at the period's end", () => {
    const r = makeIncrementalResampler(["5m"])
    const updates = ["09:31", "09:32", "09:33", "09:34", "09:35"].map(
      (t, i) => r.push(m1(t, 10 + i, 100))[0]!,
    )
    expect(
      updates.map((u) => [u.bar.frame.slice(11, 16), u.bar.close, u.bar.vol, u.bar.rev, u.final]),
    ).toEqual([
      ["09:35", 10, 100, 1, false],
      ["09:35", 11, 200, 2, false],
      ["09:35", 12, 300, 3, false],
      ["09:35", 13, 400, 4, false],
      ["09:35", 14, 500, 5, true],
    ])
    expect(updates[4]!.bar).toMatchObject({ period: "5m", open: 10, high: 14, low: 10 })
  })

  it("one 1m bar updates every period's bucket", () => {
    const out = makeIncrementalResampler(PERIODS).push(m1("10:01", 10, 100))
    expect(out.map((u) => `${u.bar.period} ${u.bar.frame}`)).toEqual([
      `5m ${DAY} 10:05:00`,
      `30m ${DAY} 10:30:00`,
      `60m ${DAY} 10:30:00`,
      `1d ${DAY}`,
    ])
  })

  it("a duplicate (same frame, same or lower rev) changes nothing and yields nothing", () => {
    const r = makeIncrementalResampler(["5m"])
    r.push(m1("09:31", 10, 100, 1))
    expect(r.push(m1("09:31", 10, 100, 1))).toEqual([])
    expect(r.push(m1("09:31", 12, 900, 0))).toEqual([])
  })

  it("a revised 1m bar replaces the earlier one; the bucket's rev is the sum of (1 + rev) over its bars", () => {
    const r = makeIncrementalResampler(["5m"])
    r.push(m1("09:31", 10, 100))
    r.push(m1("09:32", 12, 100))
    const [u] = r.push(m1("09:32", 11, 300, 2))
    expect(u!.bar).toMatchObject({ high: 11, close: 11, vol: 400, rev: 1 + 3 })
  })

  it("a revision of a complete bucket yields it again, final, with a higher rev", () => {
    const r = makeIncrementalResampler(["5m"])
    const last = ["09:31", "09:32", "09:33", "09:34", "09:35"].map((t) => r.push(m1(t, 10, 100))[0]!).at(-1)!
    const [again] = r.push(m1("09:33", 10, 150, 1))
    expect([last.final, last.bar.rev, again!.final, again!.bar.rev, again!.bar.vol]).toEqual([
      true,
      5,
      true,
      6,
      550,
    ])
  })

  it("the rev depends on the set of 1m bars, not on their arrival order", () => {
    const bars = [m1("09:31", 10, 100), m1("09:33", 11, 0), m1("09:32", 12, 100, 2), m1("09:32", 12, 50, 1)]
    const revs = (order: BarClosed[]) =>
      pushAll(order)
        .filter((u) => u.bar.period === "5m")
        .at(-1)!.bar.rev
    expect(revs(bars)).toBe(revs([...bars].reverse()))
    expect(revs(bars)).toBe(1 + 3 + 1)
  })

  it("bars that are not 1m or not on the 240-minute grid are ignored", () => {
    const r = makeIncrementalResampler(["5m"])
    expect(r.push({ ...m1("09:35", 10, 1), period: "5m" })).toEqual([])
    expect(r.push(m1("12:00", 10, 1))).toEqual([])
  })

  it("only the latest retainDays days are kept; a bar of an older day yields nothing", () => {
    const r = makeIncrementalResampler(["1d"], { retainDays: 1 })
    r.push({ ...m1("09:31", 10, 1), frame: "2023-02-02 09:31:00" })
    expect(r.push(m1("09:31", 10, 1))).toEqual([])
  })
})

describe("incremental resampling equals batch resampling", () => {
  it("on 000001.SZ's 10 days of real 1m bars, fed in order", () => {
    const bars = readBars(PINGAN_BARS)
    const updates = pushAll(bars.map((b) => closed(b)))
    for (const p of PERIODS) expect(settled(updates, p)).toEqual(resample(bars, p))
    const finals = updates.filter((u) => u.final && u.bar.period === "1d")
    expect(finals.map((u) => [u.bar.frame, u.bar.rev])).toEqual(
      resample(bars, "1d").map((b) => [b.frame, 240]),
    )
  })

  it("whatever the order, with duplicates and revisions (the highest rev of each 1m bar counts)", () => {
    const revised = (bars: Bar[]) =>
      bars.flatMap((b, i) =>
        i % 3 === 0 ? [closed({ ...b, vol: b.vol + 1, high: b.high + 1 }, 0), closed(b, 2)] : [closed(b)],
      )
    // Every 1m bar arrives once or twice (a duplicate), some first as a rev 0 that a rev 2 replaces, shuffled.
    const scenario = minuteBars.chain((bars) => {
      const inputs = [...revised(bars), ...revised(bars).filter((_, i) => i % 2 === 0)]
      return fc.tuple(fc.constant(bars), fc.shuffledSubarray(inputs, { minLength: inputs.length }))
    })
    fc.assert(
      fc.property(scenario, ([bars, arrivals]) => {
        const updates = pushAll(arrivals)
        for (const p of PERIODS) expect(settled(updates, p)).toEqual(resample(bars, p))
      }),
      { numRuns: 50 },
    )
  })
})
