/**
 * Bar tables in ClickHouse: batched upserts (the highest rev of a (symbol, frame) wins) and range reads
 * that return each bar once (FINAL).
 */
import { Context, Effect, Layer } from "effect"
import type { BarClosed } from "../../domain/bar.ts"
import type { StoredPeriod } from "../../domain/period.ts"
import { ClickHouse } from "./clickhouse.ts"
import type { ClickHouseError } from "./clickhouse-error.ts"

export interface StoredBar {
  readonly symbol: string
  readonly frame: string
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly vol: number
  readonly amount: number
  readonly rev: number
}

export interface BarRange {
  readonly symbol: string
  readonly period: StoredPeriod
  /** Inclusive bounds, `YYYY-MM-DD HH:MM:SS` Shanghai time. */
  readonly start: string
  readonly end: string
  readonly limit: number
  /** Take the newest `limit` bars of the range instead of the oldest (still returned oldest first). */
  readonly latestFirst?: boolean
}

export const barTable = (period: StoredPeriod): string => `bars_${period}`

/** A bar as a row of a bar table (period is the table's; extra keys of the event are left out). */
export const barRow = (b: Omit<BarClosed, "period">) => ({
  symbol: b.symbol,
  frame: b.frame,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  vol: b.vol,
  amount: b.amount,
  rev: b.rev,
})

export class BarStore extends Context.Service<
  BarStore,
  {
    write(period: StoredPeriod, bars: ReadonlyArray<BarClosed>): Effect.Effect<void, ClickHouseError>
    read(range: BarRange): Effect.Effect<StoredBar[], ClickHouseError>
    count(period: StoredPeriod): Effect.Effect<number, ClickHouseError>
  }
>()("minutebar/clickhouse/BarStore") {
  static readonly layer = Layer.effect(
    BarStore,
    Effect.gen(function* () {
      const ch = yield* ClickHouse
      return BarStore.of({
        write: (period, bars) => ch.insert(barTable(period), bars.map(barRow)),
        read: (r) =>
          ch
            .query<StoredBar>(
              `SELECT symbol, frame, open, high, low, close, vol, amount, rev
               FROM ${barTable(r.period)} FINAL
               WHERE symbol = {symbol:String}
                 AND frame >= toDateTime({start:String}, 'Asia/Shanghai')
                 AND frame <= toDateTime({end:String}, 'Asia/Shanghai')
               ORDER BY frame ${r.latestFirst === true ? "DESC" : "ASC"} LIMIT {limit:UInt32}`,
              { symbol: r.symbol, start: r.start, end: r.end, limit: r.limit },
            )
            .pipe(Effect.map((rows) => (r.latestFirst === true ? rows.reverse() : rows))),
        count: (period) =>
          ch
            .query<{ n: number }>(`SELECT count() AS n FROM ${barTable(period)} FINAL`)
            .pipe(Effect.map((rows) => rows[0]?.n ?? 0)),
      })
    }),
  )
}
