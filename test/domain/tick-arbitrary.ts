/** fast-check generators of plausible tick streams: a few symbols, cumulative volume and amount, interleaved by time. */
import fc from "fast-check"
import type { Tick } from "../../src/domain/tick.ts"
import { at, sym } from "./fixtures.ts"

const step = fc.record({
  gapMs: fc.integer({ min: 0, max: 240_000 }),
  shares: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
  cents: fc.integer({ min: 100, max: 20_000 }),
  highBump: fc.integer({ min: 0, max: 30 }),
  lowBump: fc.integer({ min: 0, max: 30 }),
})

const streamOf = (
  symbol: string,
  steps: ReadonlyArray<typeof step extends fc.Arbitrary<infer S> ? S : never>,
) => {
  let [time, vol, amount, high, low, price] = [at("09:14:00"), 0, 0, 0, 0, 0]
  const ticks: Tick[] = []
  for (const s of steps) {
    time += s.gapMs
    if (s.shares > 0) {
      price = s.cents / 100
      vol += s.shares
      amount += s.shares * price
      high = Math.max(high, price + s.highBump / 100)
      low = Math.min(low === 0 ? price : low, Math.max(0.01, price - s.lowBump / 100))
    }
    ticks.push({
      symbol: sym(symbol),
      time,
      lastPrice: price,
      open: 0,
      high,
      low,
      lastClose: 10,
      amount,
      volume: Math.floor(vol / 100),
      pvolume: vol,
    })
  }
  return ticks
}

/** One day of ticks of up to three symbols, each in time order, merged by time. */
export const dayOfTicks: fc.Arbitrary<Tick[]> = fc
  .array(fc.array(step, { minLength: 1, maxLength: 150 }), { minLength: 1, maxLength: 3 })
  .map((perSymbol) =>
    perSymbol
      .flatMap((steps, i) => streamOf(["600000.SH", "000001.SZ", "300750.SZ"][i]!, steps))
      .sort((a, b) => a.time - b.time),
  )
