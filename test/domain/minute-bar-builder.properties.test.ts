import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Bar, type BarClosed } from "../../src/domain/bar.ts"
import { roundAmount } from "../../src/domain/bar-rounding.ts"
import { barsFromTicks } from "../../src/domain/bars-from-ticks.ts"
import { BuilderState } from "../../src/domain/builder-snapshot.ts"
import { makeMinuteBarBuilder } from "../../src/domain/minute-bar-builder.ts"
import type { Tick } from "../../src/domain/tick.ts"
import { at, latest } from "./fixtures.ts"
import { dayOfTicks } from "./tick-arbitrary.ts"

const counted = (ticks: ReadonlyArray<Tick>) => ticks.filter((t) => t.time < at("15:05:00"))
const restored = (state: BuilderState) =>
  makeMinuteBarBuilder({ state: Schema.decodeUnknownSync(BuilderState)(JSON.parse(JSON.stringify(state))) })

/** Live run: each tick arrives `lag` ms after its time, the clock runs before each tick; optional restart at `cut`. */
const live = (ticks: ReadonlyArray<Tick>, lag: number, cut = -1): BarClosed[] => {
  let b = makeMinuteBarBuilder()
  const out: BarClosed[] = []
  ticks.forEach((t, i) => {
    if (i === cut) b = restored(b.snapshot())
    out.push(...b.onClock(t.time + lag), ...b.onTick(t).bars)
  })
  out.push(...b.onClock(at("15:10:00")))
  return out
}

describe("1m bar builder properties", () => {
  it("volume and amount are conserved: the bars add up to the last counted tick's cumulatives", () => {
    fc.assert(
      fc.property(dayOfTicks, (ticks) => {
        const bars = barsFromTicks(ticks)
        for (const symbol of new Set(bars.map((b) => b.symbol))) {
          const last = counted(ticks.filter((t) => t.symbol === symbol)).at(-1)!
          const mine = bars.filter((b) => b.symbol === symbol)
          expect(mine).toHaveLength(240)
          expect(mine.reduce((s, b) => s + b.vol, 0)).toBe(last.pvolume)
          expect(roundAmount(mine.reduce((s, b) => s + b.amount, 0))).toBe(roundAmount(last.amount))
        }
      }),
    )
  })

  it("every bar is a valid Bar: low <= open, close <= high", () => {
    fc.assert(
      fc.property(dayOfTicks, (ticks) => {
        for (const b of barsFromTicks(ticks)) expect(Schema.is(Bar)(b)).toBe(true)
      }),
    )
  })

  it("feeding the same ticks twice gives the same bars (the replay is rejected or changes nothing)", () => {
    fc.assert(
      fc.property(dayOfTicks, (ticks) => {
        expect(barsFromTicks([...ticks, ...ticks])).toEqual(barsFromTicks(ticks))
      }),
    )
  })

  it("a restart from a JSON snapshot at any tick gives the same bars (batch)", () => {
    fc.assert(
      fc.property(dayOfTicks, fc.nat(), (ticks, n) => {
        const cut = n % (ticks.length + 1)
        const first = makeMinuteBarBuilder()
        const early = ticks.slice(0, cut).flatMap((t) => first.onTick(t).bars)
        const second = restored(first.snapshot())
        const late = ticks.slice(cut).flatMap((t) => second.onTick(t).bars)
        const all = [...early, ...late, ...second.flushDay()]
        const uninterrupted = makeMinuteBarBuilder()
        const expected = [...ticks.flatMap((t) => uninterrupted.onTick(t).bars), ...uninterrupted.flushDay()]
        expect(all).toEqual(expected)
      }),
    )
  })

  it("a restart from a JSON snapshot at any tick gives the same bars and revisions (live)", () => {
    fc.assert(
      fc.property(dayOfTicks, fc.nat(), fc.integer({ min: 0, max: 90_000 }), (ticks, n, lag) => {
        expect(live(ticks, lag, n % (ticks.length + 1))).toEqual(live(ticks, lag))
      }),
    )
  })

  it("live bars, keeping the highest rev, equal the batch bars whatever the lag", () => {
    fc.assert(
      fc.property(dayOfTicks, fc.integer({ min: 0, max: 90_000 }), (ticks, lag) => {
        expect(latest(live(ticks, lag))).toEqual(barsFromTicks(ticks))
      }),
    )
  })
})
