/**
 * A day's final 1m bars from ClickHouse bars_1m, for days the log no longer holds. FINAL gives the highest rev
 * of each (symbol, frame), the bar the log's last revision carries. Read an hour of market at a time: the
 * client buffers each whole result.
 */
import { Effect } from "effect"
import { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import { slotOfFrame } from "../domain/session-grid.ts"
import { DayBook } from "./day-book.ts"
import type { DayRead, DayReadOptions } from "./day-from-log.ts"

// The 240 minute labels, 09:31..11:30 and 13:01..15:00, in four hours.
const HOURS = [
  ["09:31:00", "10:30:00"],
  ["10:31:00", "11:30:00"],
  ["13:01:00", "14:00:00"],
  ["14:01:00", "15:00:00"],
] as const

interface Row {
  readonly symbol: string
  readonly f: string
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly vol: number
  readonly amount: number
  readonly rev: number
}

// `f`, not `frame`: an alias named like a column would shadow the column in WHERE.
const query = (filtered: boolean) => `
  SELECT symbol, toString(frame) AS f, open, high, low, close, vol, amount, rev
  FROM bars_1m FINAL
  WHERE frame >= toDateTime({start:String}, 'Asia/Shanghai')
    AND frame <= toDateTime({end:String}, 'Asia/Shanghai')
    ${filtered ? "AND symbol IN {symbols:Array(String)}" : ""}`

export const readDayFromClickHouse = Effect.fn("readDayFromClickHouse")(function* (o: DayReadOptions) {
  const ch = yield* ClickHouse
  const book = new DayBook(o.day)
  let skipped = 0
  for (const [i, [from, to]] of HOURS.entries()) {
    const rows = yield* ch.query<Row>(query(o.symbols.length > 0), {
      start: `${o.day} ${from}`,
      end: `${o.day} ${to}`,
      symbols: o.symbols,
    })
    for (const r of rows) {
      const slot = slotOfFrame(r.f)
      if (slot < 0) skipped++
      else book.put(r.symbol, slot, r.open, r.high, r.low, r.close, r.vol, r.amount, r.rev)
    }
    o.onProgress?.(i + 1, HOURS.length)
  }
  return { book, skipped } satisfies DayRead
})
