/**
 * Relay: Redis Stream -> JetStream. Like tick.q's subscriber, recovery is the start path: first this
 * consumer's own unacked entries, then entries dead consumers left (XAUTOCLAIM), then new ones.
 * An entry is XACKed only after JetStream's PubAck (or after it went to the dead-letter stream), and the
 * message id makes a re-publish after a crash a no-op, so nothing is lost and nothing doubled.
 */
import { Effect, Metric, Result } from "effect"
import { MarketLog } from "../adapters/nats/market-log.ts"
import type { NatsError } from "../adapters/nats/nats-error.ts"
import { routeEntry } from "../adapters/redis/event-entry.ts"
import { EventStream, type StreamEntry } from "../adapters/redis/event-stream.ts"
import { retryDownstream } from "./downstream-retry.ts"
import { stageDeadLetters, stageEvents } from "./pipeline-metrics.ts"

export interface RelayOptions {
  readonly group: string
  readonly consumer: string
  readonly batchSize: number
  readonly blockMs: number
  /** Pending entries idle this long belonged to a relay that died: take them over. */
  readonly claimIdleMs: number
}

const encoder = new TextEncoder()

const relayBatch = Effect.fn("relay.batch")(function* (entries: ReadonlyArray<StreamEntry>, o: RelayOptions) {
  const redis = yield* EventStream
  const log = yield* MarketLog
  const good = []
  const dead = []
  for (const entry of entries) {
    const routed = routeEntry(entry)
    if (Result.isSuccess(routed)) good.push({ ...routed.success, data: encoder.encode(routed.success.json) })
    else
      dead.push({
        id: entry.id,
        reason: routed.failure,
        entry: JSON.stringify(entry.fields).slice(0, 65_536),
      })
  }
  const published = yield* retryDownstream("relay")(
    log.publish(good) as Effect.Effect<{ duplicates: number }, NatsError>,
  )
  if (dead.length > 0) {
    yield* retryDownstream("relay")(
      redis.appendTo(
        `${redis.stream}:dead`,
        dead.map((d) => ({ type: "dead", data: d.entry, reason: d.reason, source_id: d.id })),
      ),
    )
    yield* Effect.logWarning(
      `relay: ${dead.length} entries to ${redis.stream}:dead, first: ${dead[0]!.reason}`,
    )
  }
  yield* retryDownstream("relay")(
    redis.ack(
      o.group,
      entries.map((e) => e.id),
    ),
  )
  yield* Metric.update(stageEvents("relay"), good.length)
  yield* Metric.update(stageDeadLetters("relay"), dead.length)
  return { relayed: good.length, duplicates: published.duplicates, dead: dead.length }
})

/** Runs until interrupted; a batch in flight finishes (publish, ack) before the relay stops. */
export const runRelay = Effect.fn("relay")(function* (o: RelayOptions) {
  const redis = yield* EventStream
  yield* retryDownstream("relay")(redis.ensureGroup(o.group))
  const step = (read: Effect.Effect<StreamEntry[], never>) =>
    Effect.gen(function* () {
      const entries = yield* read
      if (entries.length > 0) yield* Effect.uninterruptible(relayBatch(entries, o))
      return entries.length
    })
  // Own pending first: entries this consumer read before it was killed.
  while (
    (yield* step(retryDownstream("relay")(redis.readOwnPending(o.group, o.consumer, o.batchSize)))) > 0
  ) {}
  let lastClaim = 0
  for (;;) {
    if (Date.now() - lastClaim > o.claimIdleMs / 2) {
      lastClaim = Date.now()
      while (
        (yield* step(
          retryDownstream("relay")(redis.claimStale(o.group, o.consumer, o.claimIdleMs, o.batchSize)),
        )) > 0
      ) {}
    }
    yield* step(retryDownstream("relay")(redis.readNew(o.group, o.consumer, o.batchSize, o.blockMs)))
  }
})
