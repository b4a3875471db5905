/** Deterministic bar entries for the Redis stream (tests and the relay benchmark): `n` distinct 1m bars. */
import type { BarClosed } from "../../src/domain/bar.ts"
import { barMessageId } from "../../src/domain/market-event.ts"
import { SLOT_LABELS } from "../../src/domain/session-grid.ts"

export interface BarEntry {
  readonly type: "bar"
  readonly data: string
}

// Minute m of a day is its m-th session minute (09:31 .. 11:30, 13:01 .. 15:00): bars off the grid are refused.
const clock = (m: number) => SLOT_LABELS[m]!

/** The `i`-th bar of 5,000 symbols (minute by minute, 240 a day from 2024-01-02); `rev` sets its revision. */
export const benchBar = (i: number, rev = 0): BarClosed => {
  const minute = Math.floor(i / 5000)
  const price = 10 + (i % 97) / 10
  return {
    symbol: `${String(600000 + (i % 5000)).padStart(6, "0")}.SH` as BarClosed["symbol"],
    period: "1m",
    frame: `2024-01-${String(2 + Math.floor(minute / 240)).padStart(2, "0")} ${clock(minute % 240)}`,
    open: price,
    high: price + 0.05,
    low: price - 0.05,
    close: price + 0.01,
    vol: 100 * (1 + (i % 50)),
    amount: Math.round(price * 100 * (1 + (i % 50)) * 100) / 100,
    rev,
  }
}

export const barEntries = (n: number, rev = 0, from = 0): BarEntry[] =>
  Array.from({ length: n }, (_, k) => ({ type: "bar", data: JSON.stringify(benchBar(from + k, rev)) }))

/** The JetStream message ids those entries must end up as. */
export const barIds = (n: number, rev = 0, from = 0): string[] =>
  Array.from({ length: n }, (_, k) => barMessageId(benchBar(from + k, rev)))
