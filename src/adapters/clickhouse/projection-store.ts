/**
 * What the projection reads back at recovery (startup is recovery): a day's 1m bars, reference data and
 * previous daily closes, for the (symbol, day) pairs a batch touches for the first time. And its writes of
 * daily bars and reference data.
 */
import { Context, Effect, Layer } from "effect"
import type { BarClosed } from "../../domain/bar.ts"
import type { DailyBar } from "../../domain/daily-bar.ts"
import type { InstrumentReference } from "../../domain/instrument-reference.ts"
import { barRow } from "./bar-store.ts"
import { ClickHouse } from "./clickhouse.ts"
import type { ClickHouseError } from "./clickhouse-error.ts"

export interface SymbolDay {
  readonly symbol: string
  readonly day: string
}

const pairsParam = (pairs: ReadonlyArray<SymbolDay>) => ({
  symbols: pairs.map((p) => p.symbol),
  days: pairs.map((p) => p.day),
})

// (symbol, day) IN arrayZip(...) keeps the parameter count fixed however many pairs a batch brings.
const PAIRS = "arrayZip({symbols:Array(String)}, arrayMap(d -> toDate(d), {days:Array(String)}))"

/** The tables a projection writes: the live ones, or a rebuild's fresh copies. */
export interface ProjectionTables {
  readonly bars1m: string
  readonly bars5m: string
  readonly bars30m: string
  readonly bars1d: string
  readonly ref: string
}

export const LIVE_TABLES: ProjectionTables = {
  bars1m: "bars_1m",
  bars5m: "bars_5m",
  bars30m: "bars_30m",
  bars1d: "bars_1d",
  ref: "instrument_ref",
}

export const suffixedTables = (suffix: string): ProjectionTables => ({
  bars1m: `bars_1m${suffix}`,
  bars5m: `bars_5m${suffix}`,
  bars30m: `bars_30m${suffix}`,
  bars1d: `bars_1d${suffix}`,
  ref: `instrument_ref${suffix}`,
})

interface RefRow {
  symbol: string
  day: string
  name: string
  pre_close: number
  limit_up: number
  limit_down: number
  st: boolean
  adjust: number
}

const latestBefore = (
  pairs: ReadonlyArray<SymbolDay>,
  rows: ReadonlyArray<{ symbol: string; frame: string; close: number }>,
): Array<SymbolDay & { close: number }> => {
  const bySymbol = new Map<string, Array<{ frame: string; close: number }>>()
  for (const r of rows) {
    const list = bySymbol.get(r.symbol) ?? []
    if (list.length === 0) bySymbol.set(r.symbol, list)
    list.push(r)
  }
  return pairs.flatMap((p) => {
    let best: { frame: string; close: number } | undefined
    for (const r of bySymbol.get(p.symbol) ?? []) {
      if (r.frame < p.day && (best === undefined || r.frame > best.frame)) best = r
    }
    return best === undefined ? [] : [{ symbol: p.symbol, day: best.frame, close: best.close }]
  })
}

export class ProjectionStore extends Context.Service<
  ProjectionStore,
  {
    minuteBarsOf(pairs: ReadonlyArray<SymbolDay>): Effect.Effect<BarClosed[], ClickHouseError>
    referencesOf(pairs: ReadonlyArray<SymbolDay>): Effect.Effect<InstrumentReference[], ClickHouseError>
    /** The last daily close before each pair's day, with the day it closed. */
    previousClosesOf(
      pairs: ReadonlyArray<SymbolDay>,
    ): Effect.Effect<Array<SymbolDay & { close: number }>, ClickHouseError>
    readonly tables: ProjectionTables
    writeBars(
      period: "1m" | "5m" | "30m",
      bars: ReadonlyArray<BarClosed>,
    ): Effect.Effect<void, ClickHouseError>
    writeDaily(rows: ReadonlyArray<DailyBar>): Effect.Effect<void, ClickHouseError>
    writeReferences(
      refs: ReadonlyArray<InstrumentReference & { readonly seq: number }>,
    ): Effect.Effect<void, ClickHouseError>
  }
>()("minutebar/clickhouse/ProjectionStore") {
  static readonly layerFor = (tables: ProjectionTables) =>
    Layer.effect(
      ProjectionStore,
      Effect.gen(function* () {
        const ch = yield* ClickHouse
        return makeProjectionStore(ch, tables)
      }),
    )
  static readonly layer = ProjectionStore.layerFor(LIVE_TABLES)
}

const makeProjectionStore = (
  ch: ClickHouse["Service"],
  tables: ProjectionTables,
): ProjectionStore["Service"] => {
  const none = <A>() => Effect.succeed<A[]>([])
  const intraday = { "1m": tables.bars1m, "5m": tables.bars5m, "30m": tables.bars30m } as const
  return ProjectionStore.of({
    tables,
    writeBars: (period, bars) => ch.insert(intraday[period], bars.map(barRow)),
    minuteBarsOf: (pairs) =>
      pairs.length === 0
        ? none<BarClosed>()
        : ch.query<BarClosed>(
            `SELECT symbol, frame, open, high, low, close, vol, amount, rev, '1m' AS period
                 FROM ${tables.bars1m} FINAL WHERE (symbol, toDate(frame)) IN ${PAIRS}`,
            pairsParam(pairs),
          ),
    referencesOf: (pairs) =>
      pairs.length === 0
        ? none<InstrumentReference>()
        : ch
            .query<RefRow>(
              `SELECT symbol, day, name, pre_close, limit_up, limit_down, st, adjust
                   FROM ${tables.ref} FINAL WHERE (symbol, day) IN ${PAIRS}`,
              pairsParam(pairs),
            )
            .pipe(
              Effect.map((rows) =>
                rows.map(
                  (r) =>
                    ({
                      symbol: r.symbol,
                      day: r.day,
                      name: r.name,
                      preClose: r.pre_close,
                      limitUp: r.limit_up,
                      limitDown: r.limit_down,
                      st: r.st,
                      adjust: r.adjust,
                    }) as InstrumentReference,
                ),
              ),
            ),
    previousClosesOf: (pairs) =>
      pairs.length === 0
        ? none<SymbolDay & { close: number }>()
        : ch
            .query<{ symbol: string; frame: string; close: number }>(
              // A month back covers any holiday run; the latest day before each pair's day is picked below.
              `SELECT symbol, frame, close FROM ${tables.bars1d} FINAL
                   WHERE symbol IN {symbols:Array(String)}
                     AND frame < toDate({last:String}) AND frame >= toDate({first:String}) - 31`,
              {
                symbols: [...new Set(pairs.map((p) => p.symbol))],
                first: pairs.map((p) => p.day).sort()[0],
                last: pairs.map((p) => p.day).sort()[pairs.length - 1],
              },
            )
            .pipe(Effect.map((rows) => latestBefore(pairs, rows))),
    writeDaily: (rows) => ch.insert(tables.bars1d, rows),
    writeReferences: (refs) =>
      ch.insert(
        tables.ref,
        refs.map((r) => ({
          symbol: r.symbol,
          day: r.day,
          name: r.name,
          pre_close: r.preClose,
          limit_up: r.limitUp,
          limit_down: r.limitDown,
          st: r.st,
          adjust: r.adjust,
          // The version: the fact later in the log wins, whatever order two workers or a replay write in.
          seq: r.seq,
        })),
      ),
  })
}
