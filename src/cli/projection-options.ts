/** The projection's options from settings: one place for `minutebar project` and the projection of `minutebar up`. */
import type { Settings } from "../config/settings.ts"
import type { ProjectionOptions } from "../pipelines/projection.ts"

export const projectionOptions = (s: Settings): ProjectionOptions => ({
  durable: "projection",
  batchSize: s.projectionBatch,
  flushMs: s.projectionFlushMs,
  quietMs: s.projectionQuietMs,
  ackWaitMs: s.projectionAckWaitMs,
})
