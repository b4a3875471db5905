/**
 * Where the bad-input pass looks for its rejections and for damage: the adapter's dead-letter file and log,
 * Redis `<stream>:dead`, ClickHouse `dead_letters`, and the bar and reference tables (what got through).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { Redis } from "ioredis"
import { ClickHouse } from "../src/adapters/clickhouse/clickhouse.ts"
import type { Bar } from "../src/domain/bar.ts"
import { diffBars, type TableDiff } from "./chaos-compare.ts"

export interface Rejections {
  readonly count: number
  /** Distinct reasons, shortened, with how often each came. */
  readonly reasons: Record<string, number>
  /** What each dead letter refers back to (a Redis source id, a JetStream payload), to name what got through. */
  readonly refs: ReadonlySet<string>
}

const tally = (reasons: ReadonlyArray<string>, refs: ReadonlyArray<string> = []): Rejections => {
  const out: Record<string, number> = {}
  for (const r of reasons) {
    const short = r.replace(/\d{4,}/g, "N").slice(0, 90)
    out[short] = (out[short] ?? 0) + 1
  }
  return { count: reasons.length, reasons: out, refs: new Set(refs) }
}

/** The adapter's dead letters, plus the lines its bridge reader skipped as over-long (logged, not filed). */
export const adapterRejections = (stateDir: string, output: string): Rejections => {
  const filed = readFileSync(join(stateDir, "dead-letters.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { reason: string }).reason)
  const skipped = [...output.matchAll(/skipped a line of more than \d+ characters/g)].map((m) => m[0])
  return tally([...filed, ...skipped])
}

export const redisRejections = async (url: string, stream: string): Promise<Rejections> => {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 })
  try {
    const entries = (await redis.xrange(`${stream}:dead`, "-", "+")) as Array<[string, string[]]>
    const value = (f: string[], name: string) => f[f.indexOf(name) + 1] ?? ""
    return tally(
      entries.map(([, f]) => value(f, "reason") || "(no reason)"),
      entries.map(([, f]) => value(f, "source_id")),
    )
  } finally {
    redis.disconnect()
  }
}

export interface StoreEvidence {
  readonly projection: Rejections
  readonly bars: TableDiff
  /** Reference rows of another day or of a symbol the good day does not have. */
  readonly strayRefs: number
}

const query = <A>(sql: string) => ClickHouse.use((c) => c.query<A>(sql))

/** Opens chDB at `path` (nothing else may have it open) and reads what the projection kept and refused. */
export const storeEvidence = async (
  path: string,
  truth: ReadonlyArray<Bar>,
  day: string,
  symbols: ReadonlyArray<string>,
): Promise<StoreEvidence> => {
  const ch = ManagedRuntime.make(ClickHouse.layer({ _tag: "Embedded", path }))
  try {
    const dead = await ch.runPromise(
      query<{ reason: string; payload: string }>("SELECT reason, payload FROM dead_letters"),
    )
    const rows = await ch.runPromise(
      query<Bar & { f: string }>(
        "SELECT symbol, toString(frame) AS f, open, high, low, close, vol, amount FROM bars_1m FINAL",
      ).pipe(Effect.map((rs) => rs.map(({ f, ...b }) => ({ ...b, frame: f })))),
    )
    const refs = await ch.runPromise(
      query<{ symbol: string; d: string }>("SELECT symbol, toString(day) AS d FROM instrument_ref FINAL"),
    )
    const known = new Set(symbols)
    return {
      projection: tally(
        dead.map((d) => d.reason),
        dead.map((d) => d.payload),
      ),
      bars: diffBars(truth, rows),
      strayRefs: refs.filter((r) => r.d !== day || !known.has(r.symbol)).length,
    }
  } finally {
    await ch.dispose()
  }
}
