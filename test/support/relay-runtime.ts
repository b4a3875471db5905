/** A runtime over only what the relay needs (Redis stream and JetStream log, no chDB), for tests and benches. */
import { Layer, ManagedRuntime, Redacted } from "effect"
import { MarketLog, type MarketLogOptions } from "../../src/adapters/nats/market-log.ts"
import { EventStream } from "../../src/adapters/redis/event-stream.ts"

export interface RelayTarget {
  readonly redisUrl: string
  readonly natsUrl: string
}

export const relayLayer = (
  t: RelayTarget,
  stream = "minutebar:events",
  log: Partial<Omit<MarketLogOptions, "url">> = {},
) =>
  Layer.mergeAll(
    EventStream.layer({ url: Redacted.make(t.redisUrl), stream }),
    MarketLog.layer({
      stream: "MARKET",
      retentionDays: 1,
      duplicateWindowMs: 600_000,
      ...log,
      url: Redacted.make(t.natsUrl),
    }),
  )

export const makeRelayRuntime = (t: RelayTarget, stream?: string) =>
  ManagedRuntime.make(relayLayer(t, stream))
