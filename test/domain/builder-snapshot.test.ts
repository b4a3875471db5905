import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import { BuilderState, seedSymbol } from "../../src/domain/builder-snapshot.ts"
import { makeMinuteBarBuilder } from "../../src/domain/minute-bar-builder.ts"
import { SLOT_LABELS } from "../../src/domain/session-grid.ts"
import type { Tick } from "../../src/domain/tick.ts"
import { at, MOUTAI_TICKS, readTicks, tickFeed } from "./fixtures.ts"

const ticks = readTicks(MOUTAI_TICKS)
const viaJson = (state: BuilderState): BuilderState =>
  Schema.decodeUnknownSync(BuilderState)(JSON.parse(JSON.stringify(state)))

/** Live replay of the real day, ticks arriving 2 s late, with a restart from a JSON snapshot before tick `cut`. */
const replay = (all: ReadonlyArray<Tick>, cut: number): BarClosed[] => {
  let b = makeMinuteBarBuilder()
  const out: BarClosed[] = []
  all.forEach((t, i) => {
    if (i === cut) b = makeMinuteBarBuilder({ state: viaJson(b.snapshot()) })
    out.push(...b.onClock(t.time + 2000), ...b.onTick(t).bars)
  })
  return [...out, ...b.onClock(at("15:10:00"))]
}

describe("restarting the builder from its snapshot", () => {
  const uninterrupted = replay(ticks, -1)

  it.each([0, 152, 153, 1000, 2563, 2600, 4990, 5056, 5097])(
    "a restart before tick %i of 600519.SH gives exactly the bars of an uninterrupted run",
    (cut) => {
      expect(replay(ticks, cut)).toEqual(uninterrupted)
    },
  )

  it("the first bar after a restart neither loses nor double-counts volume", () => {
    const f = tickFeed()
    const b = makeMinuteBarBuilder()
    b.onTick(f.trade("09:30:05", 10, 300))
    const resumed = makeMinuteBarBuilder({ state: viaJson(b.snapshot()) })
    resumed.onTick(f.trade("09:30:40", 10.2, 200))
    expect(resumed.onClock(at("09:31:03"))).toMatchObject([{ vol: 500, amount: 5040, open: 10, close: 10.2 }])
  })

  it("a live snapshot keeps only the slots a late tick can still change", () => {
    const b = makeMinuteBarBuilder()
    const morning = ticks.filter((x) => x.time < at("10:30:00"))
    for (const t of morning) {
      b.onClock(t.time)
      b.onTick(t)
    }
    const [snap] = b.snapshot().symbols
    // 10:29 is published; 10:30 (slot 59) is open and the only slot kept.
    expect(snap).toMatchObject({ day: "2023-02-01", cur: 59, emitted: 59, cumVol: morning.at(-1)!.pvolume })
    expect(snap!.slots).toHaveLength(1)
  })

  it("a snapshot is plain JSON and decodes with the BuilderState schema", () => {
    const b = makeMinuteBarBuilder()
    b.onTick(tickFeed().trade("09:30:05", 10))
    const json = JSON.stringify(b.snapshot())
    expect(Schema.decodeUnknownSync(BuilderState)(JSON.parse(json))).toEqual(b.snapshot())
    expect(JSON.parse(json)).toMatchObject({ version: 1, clockMs: null })
  })

  it("a seed from the last published bar and the last tick counted in it continues as the snapshot does", () => {
    const continueFrom = (state: BuilderState, from: number): BarClosed[] => {
      const b = makeMinuteBarBuilder({ state })
      const rest = ticks.slice(from).flatMap((t) => [...b.onClock(t.time + 4000), ...b.onTick(t).bars])
      return [...rest, ...b.onClock(at("15:10:00"))]
    }
    const b = makeMinuteBarBuilder()
    const published = new Map<string, BarClosed>()
    let seeded = 0
    ticks.forEach((t, i) => {
      for (const x of b.onClock(t.time + 4000)) published.set(x.frame, x)
      const state = b.snapshot()
      const [snap] = state.symbols
      // A restart point: the last tick's bar is the last one published.
      if (i % 5 === 0 && snap !== undefined && snap.cumVol > 0 && snap.emitted === snap.cur + 1) {
        const seed = seedSymbol(ticks[i - 1]!, published.get(`${snap.day} ${SLOT_LABELS[snap.cur]}`)!)!
        expect(continueFrom({ ...state, symbols: [seed] }, i)).toEqual(continueFrom(state, i))
        seeded++
      }
      for (const x of b.onTick(t).bars) published.set(x.frame, x)
    })
    expect(seeded).toBeGreaterThan(20)
  })
})
