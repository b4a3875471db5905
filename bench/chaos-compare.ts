/**
 * The verdict of a chaos run: ClickHouse's bar tables (FINAL) and the log's message ids against the ground
 * truth, as `lost`, `duplicated` and `wrong` counts with a breakdown per table and a few examples.
 */
import { Effect, ManagedRuntime } from "effect"
import { ClickHouse } from "../src/adapters/clickhouse/clickhouse.ts"
import type { Bar } from "../src/domain/bar.ts"
import type { Truth } from "./chaos-truth.ts"

type Period = keyof Truth["bars"]
const TABLES: ReadonlyArray<[Period, string]> = [
  ["1m", "bars_1m"],
  ["5m", "bars_5m"],
  ["30m", "bars_30m"],
  ["1d", "bars_1d"],
]

export interface TableDiff {
  readonly missing: number
  readonly extra: number
  readonly different: number
  /** Keys with more than one row even under FINAL. */
  readonly doubled: number
  readonly examples: string[]
}

export interface Verdict {
  readonly lost: number
  readonly duplicated: number
  readonly wrong: number
  readonly tables: Record<string, TableDiff>
  readonly refsMissing: number
  readonly logDuplicates: number
}

const cents = (x: number) => Math.round(x * 100)
const PRICE_TOLERANCE = 1e-6

/** Why two bars of one key differ, or undefined: prices within 1e-6, volume and amount to 1/100. */
const difference = (want: Bar, got: Bar): string | undefined => {
  for (const k of ["open", "high", "low", "close"] as const)
    if (Math.abs(want[k] - got[k]) > PRICE_TOLERANCE) return `${k} ${got[k]} != ${want[k]}`
  if (cents(want.vol) !== cents(got.vol)) return `vol ${got.vol} != ${want.vol}`
  if (cents(want.amount) !== cents(got.amount)) return `amount ${got.amount} != ${want.amount}`
  return undefined
}

export const diffBars = (truth: ReadonlyArray<Bar>, rows: ReadonlyArray<Bar>): TableDiff => {
  const key = (b: Bar) => `${b.symbol} ${b.frame}`
  const got = new Map<string, Bar>()
  const examples: string[] = []
  let doubled = 0
  for (const r of rows) {
    if (got.has(key(r))) doubled++
    got.set(key(r), r)
  }
  let missing = 0
  let different = 0
  for (const want of truth) {
    const row = got.get(key(want))
    got.delete(key(want))
    const why = row === undefined ? "missing" : difference(want, row)
    if (why === undefined) continue
    if (row === undefined) missing++
    else different++
    if (examples.length < 3) examples.push(`${key(want)}: ${why}`)
  }
  for (const k of [...got.keys()].slice(0, Math.max(0, 3 - examples.length)))
    examples.push(`${k}: unexpected`)
  return { missing, extra: got.size, different, doubled, examples }
}

const readTable = (table: string) =>
  ClickHouse.use((c) =>
    c.query<Bar & { f: string }>(
      `SELECT symbol, toString(frame) AS f, open, high, low, close, vol, amount FROM ${table} FINAL`,
    ),
  ).pipe(Effect.map((rows) => rows.map(({ f, ...b }) => ({ ...b, frame: f }))))

const refSymbols = ClickHouse.use((c) =>
  c.query<{ n: number }>("SELECT uniqExact(symbol) AS n FROM instrument_ref FINAL"),
).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)))

/** Opens chDB at `path` (the projection must be stopped: one process per path) and judges every table. */
export const judge = async (path: string, truth: Truth, logIds: ReadonlyArray<string>): Promise<Verdict> => {
  const ch = ManagedRuntime.make(ClickHouse.layer({ _tag: "Embedded", path }))
  try {
    const tables: Record<string, TableDiff> = {}
    for (const [period, table] of TABLES)
      tables[table] = diffBars(truth.bars[period], await ch.runPromise(readTable(table)))
    const refsMissing = Math.max(0, truth.symbols - (await ch.runPromise(refSymbols)))
    const logDuplicates = logIds.length - new Set(logIds).size
    const t = Object.values(tables)
    const m = tables.bars_1m!
    const derived = t.filter((d) => d !== m)
    return {
      lost: m.missing + refsMissing,
      duplicated: logDuplicates + t.reduce((n, d) => n + d.doubled, 0),
      wrong: m.different + m.extra + derived.reduce((n, d) => n + d.missing + d.extra + d.different, 0),
      tables,
      refsMissing,
      logDuplicates,
    }
  } finally {
    await ch.dispose()
  }
}
