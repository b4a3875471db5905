/**
 * Rebuild: re-project the log into fresh tables and switch over. Rows before `--from` are copied from the
 * live tables; the log from there up to its newest message is projected into `<table>__rebuild`; the tables
 * are exchanged (atomically, one pair at a time); then the messages that arrived meanwhile are projected
 * again into the now-live tables, which is a no-op for anything already there (idempotent upserts).
 */
import { Effect, Stream } from "effect"
import { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import {
  LIVE_TABLES,
  ProjectionStore,
  type ProjectionTables,
  suffixedTables,
} from "../adapters/clickhouse/projection-store.ts"
import { MarketLog } from "../adapters/nats/market-log.ts"
import { parseShanghai } from "../domain/market-time.ts"
import { projectOrSplit } from "./projection.ts"
import { ProjectionState } from "./projection-state.ts"

export interface RebuildOptions {
  /** `YYYY-MM-DD`: keep rows before this day as they are, re-project from it on. */
  readonly from?: string
  readonly batchSize: number
  readonly onProgress?: (done: number, total: number) => void
}

const FRESH = suffixedTables("__rebuild")
const pairs = (a: ProjectionTables, b: ProjectionTables) =>
  (["bars1m", "bars5m", "bars30m", "bars1d", "ref"] as const).map((k) => [a[k], b[k], k] as const)

const freshTables = Effect.fnUntraced(function* (from: string | undefined) {
  const ch = yield* ClickHouse
  for (const [live, fresh, kind] of pairs(LIVE_TABLES, FRESH)) {
    yield* ch.command(`DROP TABLE IF EXISTS ${fresh}`)
    yield* ch.command(`CREATE TABLE ${fresh} AS ${live}`)
    if (from === undefined) continue
    const column = kind === "ref" ? "day" : "frame"
    yield* ch.command(`INSERT INTO ${fresh} SELECT * FROM ${live} FINAL WHERE ${column} < toDate('${from}')`)
  }
})

/** Projects log messages [start, toSeq] with one fresh projection state into the given tables. */
const projectRange = (
  tables: ProjectionTables,
  range: { fromSeq?: number; fromTime?: number; toSeq: number },
  o: RebuildOptions,
) =>
  Effect.gen(function* () {
    const log = yield* MarketLog
    const state = new ProjectionState()
    let done = 0
    yield* log.readRange(range).pipe(
      Stream.grouped(o.batchSize),
      Stream.mapEffect((batch) =>
        projectOrSplit(state, batch, (part) =>
          Effect.sync(() => {
            done = part[part.length - 1]!.seq
            o.onProgress?.(done, range.toSeq)
          }),
        ),
      ),
      Stream.runDrain,
    )
    return done
  }).pipe(Effect.provide(ProjectionStore.layerFor(tables)))

export const rebuild = Effect.fn("rebuild")(function* (o: RebuildOptions) {
  const ch = yield* ClickHouse
  const log = yield* MarketLog
  if (o.from !== undefined && Number.isNaN(parseShanghai(o.from)))
    return yield* Effect.fail(new Error(`--from ${o.from}: expected YYYY-MM-DD`))
  yield* freshTables(o.from)
  const lastSeq = yield* log.lastSequence
  const start = o.from === undefined ? { fromSeq: 1 } : { fromTime: parseShanghai(o.from) }
  const projected = lastSeq === 0 ? 0 : yield* projectRange(FRESH, { ...start, toSeq: lastSeq }, o)
  for (const [live, fresh] of pairs(LIVE_TABLES, FRESH))
    yield* ch.command(`EXCHANGE TABLES ${live} AND ${fresh}`)
  for (const [, fresh] of pairs(LIVE_TABLES, FRESH)) yield* ch.command(`DROP TABLE IF EXISTS ${fresh}`)
  // What a live projection wrote into the old tables while this ran: project it into the new ones.
  const newest = yield* log.lastSequence
  const tail =
    newest > lastSeq ? yield* projectRange(LIVE_TABLES, { fromSeq: lastSeq + 1, toSeq: newest }, o) : 0
  return { projectedThrough: Math.max(projected, tail, lastSeq), tail: Math.max(0, newest - lastSeq) }
})
