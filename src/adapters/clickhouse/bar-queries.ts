/**
 * Reads of the bar tables for the API and the SDK: one symbol's bars of a period over an inclusive range, each
 * bar once (FINAL keeps the highest rev), prices adjusted on request; and the newest bar of many symbols.
 * Results are columnar typed arrays read in ClickHouse's Native format (native-format.ts says why), the same
 * on chDB and on a server.
 */
import { Context, Effect, Layer, Result, Schema } from "effect"
import { frameBounds } from "../../domain/bar-range.ts"
import { makeFrameLabeler } from "../../domain/frame-labels.ts"
import type { StoredPeriod } from "../../domain/period.ts"
import {
  type AdjustMode,
  type AdjustmentFactors,
  adjustmentFactors,
  adjustPrices,
  OHLC,
} from "../../domain/price-adjustment.ts"
import {
  type BarColumns,
  type DailyColumns,
  type LatestColumns,
  OHLCV_NATIVE,
  ohlcvOf,
  reverseColumns,
} from "./bar-columns.ts"
import { ClickHouse } from "./clickhouse.ts"
import { ClickHouseError } from "./clickhouse-error.ts"
import { decodeNative, type NativeColumn } from "./native-format.ts"

/** A read that cannot be asked: the parameter and why (the API answers 400 with it). */
export class BadBarQuery extends Schema.TaggedError<BadBarQuery>()("BadBarQuery", {
  param: Schema.String,
  reason: Schema.String,
}) {
  override get message(): string {
    return `${this.param}: ${this.reason}`
  }
}

export interface BarReadOptions {
  /** `none` (default), `front` or `back`: see price-adjustment.ts. */
  readonly adjust?: AdjustMode
  /** At most this many bars: the oldest of the range, or with `newest` the newest (still oldest first). */
  readonly limit?: number
  readonly newest?: boolean
}

export class BarQueries extends Context.Service<
  BarQueries,
  {
    getBars(
      symbol: string,
      period: StoredPeriod,
      start: string,
      end: string,
      options?: BarReadOptions,
    ): Effect.Effect<BarColumns, ClickHouseError | BadBarQuery>
    getDaily(
      symbol: string,
      start: string,
      end: string,
      options?: BarReadOptions,
    ): Effect.Effect<DailyColumns, ClickHouseError | BadBarQuery>
    /** The newest bar (default 1m) of each symbol that has one. */
    getLatest(
      symbols: ReadonlyArray<string>,
      options?: { readonly period?: StoredPeriod },
    ): Effect.Effect<LatestColumns, ClickHouseError>
  }
>()("minutebar/clickhouse/BarQueries") {
  static readonly layer = Layer.effect(
    BarQueries,
    Effect.gen(function* () {
      return makeBarQueries(yield* ClickHouse)
    }),
  )
}

const DAILY_NATIVE = {
  ...OHLCV_NATIVE,
  adjust: "number",
  st: "number",
  limit_up: "number",
  limit_down: "number",
  pre_close: "number",
} as const

const table = (period: StoredPeriod) => `bars_${period}`

const rangeSql = (period: StoredPeriod, select: string, o: BarReadOptions): string => {
  const bound = (p: string) =>
    period === "1d" ? `toDate({${p}:String})` : `toDateTime({${p}:String}, 'Asia/Shanghai')`
  return `SELECT ${select} FROM ${table(period)} FINAL
    WHERE symbol = {symbol:String} AND frame >= ${bound("start")} AND frame <= ${bound("end")}
    ORDER BY frame ${o.newest === true ? "DESC" : "ASC"}${o.limit === undefined ? "" : " LIMIT {limit:UInt32}"}
    FORMAT Native`
}

const makeBarQueries = (ch: ClickHouse["Service"]): BarQueries["Service"] => {
  type Kinds = Readonly<Record<string, "number" | "string">>
  const read = <K extends Kinds>(query: string, params: Record<string, unknown>, expected: K) =>
    ch.queryBytes(query, params).pipe(
      Effect.flatMap((bytes) =>
        Effect.try({
          try: () => decodeNative(bytes, expected) as Record<keyof K, NativeColumn>,
          catch: (cause) => new ClickHouseError({ operation: "decode Native", cause }),
        }),
      ),
    )

  const factorsOf = (symbol: string, mode: AdjustMode): Effect.Effect<AdjustmentFactors, ClickHouseError> =>
    mode === "none"
      ? Effect.succeed(adjustmentFactors([]))
      : read(
          "SELECT day, adjust FROM instrument_ref FINAL WHERE symbol = {symbol:String} FORMAT Native",
          { symbol },
          { day: "number", adjust: "number" },
        ).pipe(
          Effect.map((c) => {
            const days = c.day as Float64Array
            const factor = c.adjust as Float64Array
            const label = makeFrameLabeler()
            return adjustmentFactors(
              Array.from(days, (day, i) => ({ day: label.day(day), factor: factor[i]! })),
            )
          }),
        )

  /** The range's rows (oldest first) and the symbol's factors, read together. */
  const readRange = Effect.fnUntraced(function* <K extends Kinds>(
    symbol: string,
    period: StoredPeriod,
    start: string,
    end: string,
    o: BarReadOptions,
    expected: K,
  ) {
    const bounds = frameBounds(period, start, end)
    if (Result.isFailure(bounds)) return yield* new BadBarQuery(bounds.failure)
    const query = rangeSql(period, Object.keys(expected).join(", "), o)
    const params = { symbol, ...bounds.success, ...(o.limit === undefined ? {} : { limit: o.limit }) }
    const [columns, factors] = yield* Effect.all(
      [read(query, params, expected), factorsOf(symbol, o.adjust ?? "none")],
      { concurrency: 2 },
    )
    return { columns: o.newest === true ? reverseColumns(columns) : columns, factors }
  })

  const getDaily = Effect.fn("BarQueries.getDaily")(function* (
    symbol: string,
    start: string,
    end: string,
    o: BarReadOptions = {},
  ) {
    const { columns: c, factors } = yield* readRange(symbol, "1d", start, end, o, DAILY_NATIVE)
    const mode = o.adjust ?? "none"
    const raw: DailyColumns = {
      symbol,
      period: "1d",
      adjustment: mode,
      ...ohlcvOf("1d", c),
      adjust: c.adjust as Float64Array,
      st: Uint8Array.from(c.st as Float64Array),
      limitUp: c.limit_up as Float64Array,
      limitDown: c.limit_down as Float64Array,
      preClose: c.pre_close as Float64Array,
    }
    return adjustPrices(mode, factors, raw.frame, raw, [...OHLC, "limitUp", "limitDown", "preClose"])
  })

  const getBars = Effect.fn("BarQueries.getBars")(function* (
    symbol: string,
    period: StoredPeriod,
    start: string,
    end: string,
    o: BarReadOptions = {},
  ) {
    if (period === "1d") return yield* getDaily(symbol, start, end, o)
    const { columns, factors } = yield* readRange(symbol, period, start, end, o, OHLCV_NATIVE)
    const mode = o.adjust ?? "none"
    const raw: BarColumns = { symbol, period, adjustment: mode, ...ohlcvOf(period, columns) }
    return adjustPrices(mode, factors, raw.frame, raw, OHLC)
  })

  const getLatest = Effect.fn("BarQueries.getLatest")(function* (
    symbols: ReadonlyArray<string>,
    o: { readonly period?: StoredPeriod } = {},
  ) {
    const period = o.period ?? "1m"
    // max(frame) needs no FINAL (rows are replaced, never removed); FINAL then reads one row per symbol.
    const c = yield* read(
      `SELECT CAST(symbol AS String) AS sym, frame, open, high, low, close, vol, amount FROM ${table(period)} FINAL
       WHERE (symbol, frame) IN (
         SELECT symbol, max(frame) FROM ${table(period)} WHERE symbol IN {symbols:Array(String)} GROUP BY symbol)
       ORDER BY sym FORMAT Native`,
      { symbols: [...symbols] },
      { ...OHLCV_NATIVE, sym: "string" } as const,
    )
    return { symbol: c.sym as string[], period, ...ohlcvOf(period, c) } satisfies LatestColumns
  })

  return BarQueries.of({ getBars, getDaily, getLatest })
}
