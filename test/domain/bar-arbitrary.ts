/** fast-check generators of 1m bars on the session grid: a few symbols and days, any subset of minutes. */
import fc from "fast-check"
import type { Bar } from "../../src/domain/bar.ts"
import { SLOT_LABELS } from "../../src/domain/session-grid.ts"
import { sym } from "./fixtures.ts"

const barAt = (symbol: string, day: string, slot: number) =>
  fc
    .record({
      a: fc.integer({ min: 100, max: 5000 }),
      b: fc.integer({ min: 100, max: 5000 }),
      up: fc.integer({ min: 0, max: 50 }),
      down: fc.integer({ min: 0, max: 50 }),
      vol: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })),
    })
    .map(({ a, b, up, down, vol }): Bar => {
      const [open, close] = vol === 0 ? [b / 100, b / 100] : [a / 100, b / 100]
      const high = vol === 0 ? close : Math.max(open, close) + up / 100
      const low = vol === 0 ? close : Math.max(0.01, Math.min(open, close) - down / 100)
      return {
        symbol: sym(symbol),
        frame: `${day} ${SLOT_LABELS[slot]}`,
        open,
        high,
        low,
        close,
        vol,
        amount: (vol * b) / 100,
      }
    })

const slots = fc.uniqueArray(fc.integer({ min: 0, max: 239 }), { minLength: 1, maxLength: 240 })

// As the builder makes them: a bar without volume is flat at the previous bar's close.
const consistent = (sorted: ReadonlyArray<Bar>): Bar[] => {
  const out: Bar[] = []
  for (const b of sorted) {
    const prev = out.at(-1)
    const sameDay =
      prev !== undefined && prev.symbol === b.symbol && prev.frame.startsWith(b.frame.slice(0, 10))
    const c = prev?.close ?? b.close
    out.push(b.vol > 0 || !sameDay ? b : { ...b, open: c, high: c, low: c, close: c })
  }
  return out
}

/** 1m bars of up to two symbols over up to two days, sorted by symbol then frame, flat bars at the previous close. */
export const minuteBars: fc.Arbitrary<Bar[]> = fc
  .tuple(slots, slots, fc.boolean())
  .chain(([s1, s2, twoDays]) =>
    fc.tuple(
      ...s1.map((s) => barAt("600000.SH", "2023-02-01", s)),
      ...s2.map((s) => barAt(twoDays ? "600000.SH" : "000001.SZ", "2023-02-02", s)),
    ),
  )
  .map((bars) => [...bars].sort((x, y) => (x.symbol + x.frame < y.symbol + y.frame ? -1 : 1)))
  .map(consistent)
