/**
 * SDK: a trading day's final bars in market order (frame, then symbol) as an async iterable, for a
 * backtest: `for await (const bar of replayDay({ natsUrl, date: "2024-01-02", period: "5m" })) step(bar)`.
 * Read from the JetStream log while it holds the day, else from ClickHouse (give `clickhouse`); paced by
 * market time at `speed` (default "max": no pacing), the lunch break skipped.
 */
import { Option, Redacted, Stream } from "effect"
import { ClickHouse, type ClickHouseTarget } from "../adapters/clickhouse/clickhouse.ts"
import type { BarClosed } from "../domain/bar.ts"
import { parseShanghai } from "../domain/market-time.ts"
import type { Period } from "../domain/period.ts"
import {
  type ReplayProgress,
  type ReplaySource,
  type ReplaySpeed,
  replayBars,
} from "../pipelines/replay-day.ts"
import { checkedSymbols, type NatsTarget, natsLayer } from "./sdk-options.ts"

export type ClickHouseAt =
  | { readonly chdbPath: string }
  | {
      readonly url: string
      readonly username?: string
      readonly password?: string
      readonly database?: string
    }

export interface ReplayDayOptions extends NatsTarget {
  /** `YYYY-MM-DD`, a Shanghai trading day. */
  readonly date: string
  readonly symbols?: ReadonlyArray<string>
  /** Default 1m. */
  readonly period?: Period
  readonly speed?: ReplaySpeed
  /** Default "auto": the log when it still holds the whole day, else ClickHouse. */
  readonly source?: ReplaySource
  readonly clickhouse?: ClickHouseAt
  readonly onProgress?: (p: ReplayProgress) => void
}

const target = (c: ClickHouseAt): ClickHouseTarget =>
  "chdbPath" in c
    ? { _tag: "Embedded", path: c.chdbPath }
    : {
        _tag: "Server",
        url: c.url,
        username: c.username ?? "default",
        password: c.password === undefined ? Option.none() : Option.some(Redacted.make(c.password)),
        database: c.database ?? "default",
      }

export const replayDay = (o: ReplayDayOptions): AsyncIterable<BarClosed> => {
  if (o.date.length !== 10 || Number.isNaN(parseShanghai(o.date)))
    throw new Error(`date: ${o.date} is not YYYY-MM-DD`)
  const bars = replayBars({
    day: o.date,
    symbols: checkedSymbols(o.symbols),
    period: o.period ?? "1m",
    speed: o.speed ?? "max",
    source: o.source ?? "auto",
    ...(o.clickhouse === undefined ? {} : { clickhouse: ClickHouse.layer(target(o.clickhouse)) }),
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
  })
  return Stream.toAsyncIterable(bars.pipe(Stream.provide(natsLayer(o, "minutebar-replay"))))
}
