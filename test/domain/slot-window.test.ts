import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import { parseShanghai } from "../../src/domain/market-time.ts"
import { SLOT_LABELS } from "../../src/domain/session-grid.ts"
import { CLOSE, OPEN, type SlotField, SlotWindow, VOL } from "../../src/domain/slot-window.ts"
import { SymbolDay } from "../../src/domain/symbol-day.ts"
import { DAY, sym, tickFeed } from "./fixtures.ts"

describe("the window of live slots", () => {
  it("a slot it does not hold reads as empty: open NaN, everything else 0", () => {
    const w = new SlotWindow()
    expect(w.get(7, OPEN)).toBeNaN()
    expect(w.get(7, CLOSE)).toBe(0)
  })

  it("holds what was written while it grows, and forgets the slots it dropped", () => {
    const w = new SlotWindow()
    for (let k = 0; k < 100; k++) w.set(k, CLOSE, k + 0.5)
    expect(w.get(99, CLOSE)).toBe(99.5)
    expect(w.get(0, CLOSE)).toBe(0.5)
    w.dropBefore(98)
    expect([w.get(97, CLOSE), w.get(98, CLOSE), w.get(99, CLOSE), w.get(100, CLOSE)]).toEqual([
      0, 98.5, 99.5, 0,
    ])
    expect(() => w.set(97, CLOSE, 1)).toThrow(/dropped/)
  })

  it("gives back its memory once the slots it grew for are dropped", () => {
    const w = new SlotWindow()
    for (let k = 0; k < 240; k++) w.set(k, VOL, 1)
    expect(w.capacity).toBe(256)
    for (let k = 1; k < 240; k++) w.dropBefore(k)
    expect(w.capacity).toBe(4)
    expect(w.get(239, VOL)).toBe(1)
  })

  it("reads like 240 plain slots, whatever the writes and forward drops", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        k: fc.nat(239),
        field: fc.nat(6),
        v: fc.double({ noNaN: true }),
      }),
      fc.record({ kind: fc.constant("add" as const), k: fc.nat(239), field: fc.nat(6), v: fc.integer() }),
      fc.record({ kind: fc.constant("drop" as const), k: fc.nat(240) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const w = new SlotWindow()
        const plain = Array.from({ length: 240 }, () => [Number.NaN, 0, 0, 0, 0, 0, 0])
        let start = 0
        for (const o of ops) {
          if (o.kind === "drop") {
            start = Math.max(start, o.k)
            w.dropBefore(o.k)
          } else if (o.k >= start) {
            const field = o.field as SlotField
            if (o.kind === "set") {
              w.set(o.k, field, o.v)
              plain[o.k]![field] = o.v
            } else {
              w.add(o.k, field, o.v)
              plain[o.k]![field]! += o.v
            }
          }
        }
        for (let k = start; k < 240; k++)
          for (let f = 0; f < 7; f++) expect(w.get(k, f as SlotField)).toEqual(plain[k]![f])
      }),
    )
  })
})

describe("a symbol's day keeps only its live slots", () => {
  const day = () => {
    const d = new SymbolDay(sym("600519.SH"))
    d.reset(parseShanghai(`${DAY} 00:00:00`), SLOT_LABELS)
    return d
  }

  it("trading every minute, with each bar published when its minute closes, it keeps 4 slots all day", () => {
    const d = day()
    const feed = tickFeed()
    const out: BarClosed[] = []
    let most = 0
    for (let slot = 0; slot < 240; slot++) {
      d.apply(feed.trade("10:00:00", 10 + slot / 100), slot)
      d.emitRange(d.emitted, slot, out)
      most = Math.max(most, d.slots.capacity)
    }
    d.emitRange(d.emitted, 240, out)
    expect(out).toHaveLength(240)
    expect(out[239]).toMatchObject({ close: 12.39, vol: 100 })
    expect(most).toBe(4)
  })

  it("a late tick still revises the published bar and the flat bars after it", () => {
    const d = day()
    const feed = tickFeed()
    const out: BarClosed[] = []
    d.apply(feed.trade("10:00:00", 10), 50)
    d.emitRange(0, 60, out)
    d.apply(feed.trade("10:00:00", 11), 50)
    const revised: BarClosed[] = []
    d.revise(50, revised)
    expect(revised.map((b) => [b.rev, b.close])).toEqual(Array.from({ length: 10 }, () => [1, 11]))
  })
})
