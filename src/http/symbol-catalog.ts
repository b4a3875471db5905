/**
 * The symbols the API knows: names from instrument_ref and every symbol with daily bars in ClickHouse, read
 * into memory at start and again every few minutes, so searching and "is this symbol known" never query.
 *
 * State: `entries`, replaced whole by each refresh (readers see the old map or the new one, never a mix).
 */
import { Context, Effect, Layer, Schedule } from "effect"
import { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import type { ClickHouseError } from "../adapters/clickhouse/clickhouse-error.ts"
import type { RefHint } from "./quote.ts"
import type { DailyHint } from "./symbol-live.ts"

export interface CatalogEntry {
  readonly symbol: string
  readonly name: string | null
  /** The newest reference data of the symbol. */
  readonly ref: RefHint | undefined
  /** The symbol's two newest daily bars, newest first. */
  readonly daily: ReadonlyArray<DailyHint>
}

export interface SymbolMatch {
  readonly symbol: string
  readonly name: string | null
}

// Aliases differ from column names: ClickHouse would read a same-named alias inside the other aggregates.
const REFS = `SELECT symbol, toString(max(day)) AS refDay, argMax(name, day) AS refName,
  argMax(pre_close, day) AS preClose FROM instrument_ref FINAL GROUP BY symbol`
const DAILY = `SELECT symbol, toString(frame) AS day, close, vol FROM bars_1d FINAL
  ORDER BY symbol, frame DESC LIMIT 2 BY symbol`

const load = (ch: ClickHouse["Service"]) =>
  Effect.gen(function* () {
    const [refs, daily] = yield* Effect.all([
      ch.query<{ symbol: string; refDay: string; refName: string; preClose: number }>(REFS),
      ch.query<{ symbol: string } & DailyHint>(DAILY),
    ])
    const days = new Map<string, DailyHint[]>()
    for (const { symbol, day, close, vol } of daily) {
      const list = days.get(symbol) ?? []
      list.push({ day, close, vol })
      days.set(symbol, list)
    }
    const entries = new Map<string, CatalogEntry>()
    for (const { symbol, refDay: day, refName: name, preClose } of refs)
      entries.set(symbol, { symbol, name, ref: { day, name, preClose }, daily: days.get(symbol) ?? [] })
    for (const [symbol, list] of days)
      if (!entries.has(symbol)) entries.set(symbol, { symbol, name: null, ref: undefined, daily: list })
    return entries
  })

/** Rank of a match: the exact symbol, then a code prefix, then a name containing the text. */
const rank = (e: CatalogEntry, q: string): number => {
  if (q === "") return 2
  if (e.symbol === q) return 0
  if (e.symbol.startsWith(q)) return 1
  return e.name?.toUpperCase().includes(q) === true ? 2 : -1
}

/** Entries whose code starts with `text` or whose name contains it (case-insensitive), best first. */
export const searchEntries = (
  entries: Iterable<CatalogEntry>,
  text: string,
  limit: number,
): ReadonlyArray<SymbolMatch> => {
  const q = text.trim().toUpperCase()
  const hits: Array<[number, CatalogEntry]> = []
  for (const e of entries) {
    const r = rank(e, q)
    if (r >= 0) hits.push([r, e])
  }
  hits.sort(([ra, a], [rb, b]) => ra - rb || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
  return hits.slice(0, limit).map(([, e]) => ({ symbol: e.symbol, name: e.name }))
}

export class SymbolCatalog extends Context.Service<
  SymbolCatalog,
  {
    get(symbol: string): CatalogEntry | undefined
    entries(): Iterable<CatalogEntry>
    readonly size: () => number
    /** Reads the catalog again now (the periodic refresh does this every `refreshMs`). */
    readonly refresh: Effect.Effect<void, ClickHouseError>
  }
>()("minutebar/http/SymbolCatalog") {
  static readonly layer = (options: { readonly refreshMs: number }) =>
    Layer.effect(
      SymbolCatalog,
      Effect.gen(function* () {
        const ch = yield* ClickHouse
        let entries = yield* load(ch)
        const refresh = Effect.map(load(ch), (next) => {
          entries = next
        }).pipe(Effect.withSpan("SymbolCatalog.refresh"))
        // A failed refresh keeps the last catalog: names change rarely, and the next refresh tries again.
        yield* Effect.forkScoped(
          refresh.pipe(
            Effect.catch(() => Effect.void),
            Effect.repeat(Schedule.spaced(options.refreshMs)),
            Effect.delay(options.refreshMs),
          ),
        )
        return SymbolCatalog.of({
          get: (symbol) => entries.get(symbol),
          entries: () => entries.values(),
          size: () => entries.size,
          refresh,
        })
      }),
    )
}
