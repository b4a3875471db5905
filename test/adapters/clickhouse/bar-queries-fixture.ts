/**
 * Rows for the read tests, inserted straight into the tables in several inserts (so FINAL has parts to merge):
 * 000001.SZ over three days with a 10-for-10 bonus issue on 2024-01-04 (its factor goes 1 -> 2 and its price
 * halves), a duplicated and a revised 1m bar; 600000.SH with one later bar; plus where each ClickHouse lives.
 */
import { Effect, Layer, Option, Redacted } from "effect"
import { BarQueries } from "../../../src/adapters/clickhouse/bar-queries.ts"
import { ClickHouse, type ClickHouseTarget } from "../../../src/adapters/clickhouse/clickhouse.ts"
import { migrate } from "../../../src/adapters/clickhouse/migrations.ts"

export const A = "000001.SZ"
export const B = "600000.SH"
export const DAYS = ["2024-01-02", "2024-01-03", "2024-01-04"] as const
/** Raw price level of each day: the bonus issue halves it. */
const LEVEL: Record<string, number> = { "2024-01-02": 10, "2024-01-03": 10, "2024-01-04": 5 }
export const MINUTES = ["09:31:00", "09:32:00", "09:33:00", "09:34:00", "09:35:00"] as const

export const bar = (symbol: string, frame: string, close: number, rev = 0) => ({
  symbol,
  frame,
  open: close,
  high: close + 0.1,
  low: close - 0.1,
  close,
  vol: 100,
  amount: 100 * close,
  rev,
})

const minuteBars = DAYS.flatMap((d) => MINUTES.map((m) => bar(A, `${d} ${m}`, LEVEL[d]!)))
/** 2024-01-02 09:33 was revised by a late tick: its rev 1 is what every read must return. */
export const REVISED = { ...bar(A, "2024-01-02 09:33:00", 10.5, 1), high: 10.6 }

const daily = (symbol: string, day: string, close: number, ref: boolean) => ({
  ...bar(symbol, day, close),
  adjust: ref ? (day >= "2024-01-04" ? 2 : 1) : 1,
  st: day === "2024-01-03",
  limit_up: ref ? Math.round(close * 110) / 100 : null,
  limit_down: ref ? Math.round(close * 90) / 100 : null,
  pre_close: ref ? close : null,
  ref_computed: !ref,
  version: ref ? 1 : 0,
})

const refRow = (day: string, adjust: number, seq: number) => ({
  symbol: A,
  day,
  name: "平安银行",
  pre_close: LEVEL[day]!,
  limit_up: 11,
  limit_down: 9,
  st: false,
  adjust,
  seq,
})

export const insertFixture = Effect.gen(function* () {
  const ch = yield* ClickHouse
  yield* ch.insert("bars_1m", minuteBars)
  // The same bars again (a replayed batch), then the revision alone: one row per frame must remain.
  yield* ch.insert("bars_1m", minuteBars.slice(0, 5))
  yield* ch.insert("bars_1m", [REVISED, bar(B, "2024-01-05 10:00:00", 8), bar(B, "2024-01-05 09:59:00", 8)])
  yield* ch.insert(
    "bars_5m",
    DAYS.map((d) => bar(A, `${d} 09:35:00`, LEVEL[d]!)),
  )
  yield* ch.insert("bars_30m", [bar(A, "2024-01-02 10:00:00", 10), bar(A, "2024-01-02 10:30:00", 10.2)])
  yield* ch.insert("bars_1d", [
    daily(A, "2024-01-02", 10, false),
    ...DAYS.map((d) => daily(A, d, LEVEL[d]!, d !== "2024-01-02")),
    daily(B, "2024-01-05", 8, false),
  ])
  // No factor on 01-03: it takes 01-02's. The latest known day (01-04) is the front-adjustment base.
  yield* ch.insert("instrument_ref", [refRow("2024-01-02", 1, 1), refRow("2024-01-04", 2, 3)])
})

/** BarQueries on a migrated ClickHouse, with the ClickHouse service itself for inserts. */
export const queriesLayer = (target: ClickHouseTarget) =>
  Layer.effectDiscard(migrate()).pipe(
    Layer.provideMerge(BarQueries.layer),
    Layer.provideMerge(ClickHouse.layer(target)),
  )

export const SERVER_HINT = "set CLICKHOUSE_TEST_URL=http://host:8123 to run against a ClickHouse server"

/** The server of CLICKHOUSE_TEST_URL (user/password from CLICKHOUSE_TEST_USER/_PASSWORD), in `database`. */
export const serverTarget = (database: string): ClickHouseTarget | undefined => {
  const url = process.env.CLICKHOUSE_TEST_URL
  if (url === undefined || url === "") return undefined
  return {
    _tag: "Server",
    url,
    username: process.env.CLICKHOUSE_TEST_USER ?? "default",
    password: Option.map(Option.fromNullishOr(process.env.CLICKHOUSE_TEST_PASSWORD), (p) => Redacted.make(p)),
    database,
  }
}

/** Creates (or drops) a scratch database on the test server, through its `default` database. */
export const onServer = (statement: string) =>
  Effect.gen(function* () {
    const ch = yield* ClickHouse
    yield* ch.command(statement)
  }).pipe(Effect.provide(ClickHouse.layer(serverTarget("default")!)))
