/**
 * The log stream's limits (retention, duplicate window, storage, replicas, size), applied at every start by
 * create-or-update, so changing a setting and restarting changes the stream in place.
 */
import { type JetStreamManager, StorageType } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"

export interface StreamLimits {
  readonly stream: string
  readonly retentionDays: number
  /** A re-publish with the same message id inside this window is dropped: the relay's idempotency. */
  readonly duplicateWindowMs: number
  readonly storage?: "file" | "memory"
  readonly replicas?: number
  /** Oldest messages go first beyond this size; unset: no size limit. */
  readonly maxBytes?: number
}

export const SUBJECTS = ["bars.>", "ref.>"]

const streamConfig = (o: StreamLimits) => ({
  name: o.stream,
  subjects: SUBJECTS,
  storage: o.storage === "memory" ? StorageType.Memory : StorageType.File,
  num_replicas: o.replicas ?? 1,
  max_age: nanos(o.retentionDays * 86_400_000),
  max_bytes: o.maxBytes ?? -1,
  duplicate_window: nanos(o.duplicateWindowMs),
  allow_direct: true,
})

/** Creates the stream, or updates its limits; storage cannot change in place, so that stops the start. */
export const ensureStream = async (jsm: JetStreamManager, o: StreamLimits): Promise<void> => {
  const config = streamConfig(o)
  const info = await jsm.streams.info(o.stream).catch(() => undefined)
  if (info === undefined) {
    await jsm.streams.add(config)
    return
  }
  if (info.config.storage !== config.storage)
    throw new Error(
      `stream ${o.stream} has ${info.config.storage} storage and NATS_STORAGE asks for ${config.storage}: ` +
        "JetStream cannot change storage in place; back up and delete the stream, or keep its storage",
    )
  const { storage: _, ...limits } = config
  await jsm.streams.update(o.stream, { ...info.config, ...limits })
}
