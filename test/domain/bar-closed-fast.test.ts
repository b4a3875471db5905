import { Result, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { BarClosed } from "../../src/domain/bar.ts"
import { plainBarClosed } from "../../src/domain/bar-closed-fast.ts"

const schema = Schema.decodeUnknownResult(BarClosed)

const validBar = fc
  .record({
    symbol: fc.constantFrom("000001.SZ", "600519.SH", "430047.BJ"),
    // The fast path takes 1m bars on session minutes; everything else goes to the schema.
    frame: fc.constantFrom("2024-03-05 09:31:00", "2024-03-05 15:00:00", "2024-03-05 13:01:00"),
    low: fc.double({ min: 0, max: 100, noNaN: true }),
    spread: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    top: fc.double({ min: 0, max: 5, noNaN: true }),
    vol: fc.double({ min: 0, max: 1e9, noNaN: true }),
    amount: fc.double({ min: 0, max: 1e12, noNaN: true }),
    period: fc.constant("1m"),
    rev: fc.nat({ max: 1000 }),
  })
  .map(({ low, spread: [a, b], top, ...rest }) => ({
    ...rest,
    low,
    open: low + a * top,
    close: low + b * top,
    high: low + top,
  }))

// Each field swapped for something odd: what a bad producer or a hand-edited payload could carry.
const odd = fc.constantFrom<unknown>(
  -1,
  -0,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 32,
  1_000_001,
  "10",
  "",
  null,
  undefined,
  true,
  [],
  {},
  "2024-3-5 9:31:00",
  "2024-03-05T09:31:00",
  "000001.sz",
  "1000001.SZ",
  "2m",
  1e308 * 10,
)
const fields = ["symbol", "frame", "open", "high", "low", "close", "vol", "amount", "period", "rev", "extra"]
const mutated = fc
  .tuple(validBar, fc.array(fc.tuple(fc.constantFrom(...fields), odd), { minLength: 1, maxLength: 3 }))
  .map(([bar, changes]) => {
    const v: Record<string, unknown> = { ...bar }
    for (const [k, x] of changes) v[k] = x
    return v
  })

describe("the projection's fast bar check accepts only what the BarClosed schema accepts", () => {
  it("a plain bar is accepted and equals the schema's decoding (extra keys dropped)", () => {
    fc.assert(
      fc.property(validBar, (bar) => {
        const decoded = schema({ ...bar, note: "ignored" })
        expect(Result.isSuccess(decoded)).toBe(true)
        expect(plainBarClosed({ ...bar, note: "ignored" })).toEqual(Result.getOrThrow(decoded))
      }),
    )
  })

  it("whatever it accepts, the schema accepts with the same value; the rest is left to the schema", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, odd, fc.anything()), (v) => {
        const plain = plainBarClosed(v)
        if (plain !== undefined) expect(plain).toEqual(Result.getOrThrow(schema(v)))
      }),
      { numRuns: 2_000 },
    )
  })

  it("prices out of order, a fractional or huge rev or an unknown period go to the schema", () => {
    const bar = {
      symbol: "000001.SZ",
      frame: "2024-03-05 09:31:00",
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      vol: 1,
      amount: 10,
      period: "1m",
      rev: 0,
    }
    expect(plainBarClosed(bar)).toEqual(bar)
    for (const change of [
      { low: 10.6 },
      { high: 9.5 },
      { rev: 0.5 },
      { rev: 2 ** 32 },
      { period: "2m" },
      { vol: Number.NaN },
    ])
      expect(plainBarClosed({ ...bar, ...change }), JSON.stringify(change)).toBeUndefined()
  })
})
