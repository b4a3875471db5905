/** The projection's options from settings: one place for `minutebar project` and the projection of `minutebar up`. */
import { Option } from "effect"
import type { Settings } from "../config/settings.ts"
import { Exchange } from "../domain/symbol.ts"
import type { ProjectionOptions } from "../pipelines/projection.ts"

export const projectionOptions = (s: Settings): ProjectionOptions => ({
  durable: "projection",
  batchSize: s.projectionBatch,
  flushMs: s.projectionFlushMs,
  quietMs: s.projectionQuietMs,
  ackWaitMs: s.projectionAckWaitMs,
  // Validated by the setting's pattern; each exchange once, in a fixed order, so the durables are the same.
  exchanges: Exchange.literals.filter((ex) => s.projectionExchanges.split(",").some((e) => e.trim() === ex)),
})

/**
 * What a projection of some exchanges on embedded chDB should be told: no other process can open that chDB,
 * so the exchanges it leaves out are written by nobody.
 */
export const projectionWarning = (s: Settings): string | undefined => {
  const exchanges = projectionOptions(s).exchanges ?? []
  if (exchanges.length === 0 || Option.isSome(s.clickhouseUrl)) return undefined
  const left = Exchange.literals.filter((ex) => !exchanges.includes(ex))
  return left.length === 0
    ? undefined
    : `PROJECTION_EXCHANGES=${exchanges.join(",")} on embedded chDB: no other process can write ${left.join(", ")} ` +
        "there; their bars stay in the log until a projection of them runs (on a ClickHouse server, CLICKHOUSE_URL)"
}
