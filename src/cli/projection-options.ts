/** The projection's options from settings: one place for `minutebar project` and the projection of `minutebar up`. */
import type { Settings } from "../config/settings.ts"
import type { Exchange } from "../domain/symbol.ts"
import type { ProjectionOptions } from "../pipelines/projection.ts"

export const projectionOptions = (s: Settings): ProjectionOptions => ({
  durable: "projection",
  batchSize: s.projectionBatch,
  flushMs: s.projectionFlushMs,
  quietMs: s.projectionQuietMs,
  ackWaitMs: s.projectionAckWaitMs,
  // Validated by the setting's pattern; each exchange once, in a fixed order, so the durables are the same.
  exchanges: (["SH", "SZ", "BJ"] as const).filter((ex: Exchange) =>
    s.projectionExchanges.split(",").some((e) => e.trim() === ex),
  ),
})
