/**
 * The query SDK for programs that do not use Effect: `connectMinutebar()` opens ClickHouse (a server by URL,
 * else embedded chDB on a data path) and answers getBars / getDaily / getLatest as Promises of columnar typed
 * arrays. A thin wrapper: BarQueries run in one ManagedRuntime that `close()` disposes.
 *
 * On chDB only one process may open a data path, so read it from the process that runs the system (or while
 * it is stopped); with a ClickHouse server any number of processes can read.
 */
import { resolve } from "node:path"
import { Effect, Layer, ManagedRuntime, Option, Redacted } from "effect"
import type { BarColumns, DailyColumns, LatestColumns } from "../adapters/clickhouse/bar-columns.ts"
import { BarQueries } from "../adapters/clickhouse/bar-queries.ts"
import { ClickHouse, type ClickHouseTarget } from "../adapters/clickhouse/clickhouse.ts"
import type { StoredPeriod } from "../domain/period.ts"
import type { AdjustMode } from "../domain/price-adjustment.ts"

export type { AdjustMode, BarColumns, DailyColumns, LatestColumns, StoredPeriod }

export interface MinutebarOptions {
  /** A ClickHouse server, e.g. `http://clickhouse:8123`; when set, `chdbPath` is ignored. */
  readonly clickhouseUrl?: string
  readonly username?: string
  readonly password?: string
  readonly database?: string
  /** Embedded chDB data path; default `./data/clickhouse` (where `minutebar up` writes). */
  readonly chdbPath?: string
}

export interface ReadOptions {
  /** `none` (default): as traded; `back`: x the day's factor; `front`: x factor(day) / latest factor. */
  readonly adjust?: AdjustMode
}

export interface Minutebar {
  /** Bars of one symbol and period whose frames lie in [start, end]; a date alone as `end` means that whole day. */
  getBars(
    symbol: string,
    period: StoredPeriod,
    start: string,
    end: string,
    options?: ReadOptions,
  ): Promise<BarColumns>
  /** Daily bars with the day's reference data (adjustment factor, ST, limits, previous close). */
  getDaily(symbol: string, start: string, end: string, options?: ReadOptions): Promise<DailyColumns>
  /** The newest bar (default 1m) of each symbol that has one, in symbol order. */
  getLatest(
    symbols: ReadonlyArray<string>,
    options?: { readonly period?: StoredPeriod },
  ): Promise<LatestColumns>
  close(): Promise<void>
}

const targetOf = (o: MinutebarOptions): ClickHouseTarget =>
  o.clickhouseUrl === undefined
    ? { _tag: "Embedded", path: resolve(o.chdbPath ?? "./data/clickhouse") }
    : {
        _tag: "Server",
        url: o.clickhouseUrl,
        username: o.username ?? "default",
        password: Option.map(Option.fromNullishOr(o.password), (p) => Redacted.make(p)),
        database: o.database ?? "default",
      }

/** Connects and checks the connection (SELECT 1): a wrong URL or a locked chDB path fails here. */
export const connectMinutebar = async (options: MinutebarOptions = {}): Promise<Minutebar> => {
  const runtime = ManagedRuntime.make(
    BarQueries.layer.pipe(Layer.provide(ClickHouse.layer(targetOf(options)))),
  )
  await runtime.runPromise(Effect.void)
  const run = <A, E>(effect: Effect.Effect<A, E, BarQueries>) => runtime.runPromise(effect)
  return {
    getBars: (symbol, period, start, end, o = {}) =>
      run(BarQueries.use((q) => q.getBars(symbol, period, start, end, o))),
    getDaily: (symbol, start, end, o = {}) => run(BarQueries.use((q) => q.getDaily(symbol, start, end, o))),
    getLatest: (symbols, o = {}) => run(BarQueries.use((q) => q.getLatest(symbols, o))),
    close: () => runtime.dispose(),
  }
}
