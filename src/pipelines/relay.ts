/**
 * Relay: Redis Stream -> JetStream. Like tick.q's subscriber, recovery is the start path: first this
 * consumer's own unacked entries, then entries dead consumers left (XAUTOCLAIM), then new ones.
 * An entry is XACKed only after JetStream's PubAck (or after it went to the dead-letter stream), and the
 * message id makes a re-publish after a crash a no-op, so nothing is lost and nothing doubled.
 *
 * Throughput comes from overlap: up to `inFlight` batches are published and waiting for their PubAcks while
 * the next batch is read and routed. Each batch acks its own entries once its own PubAcks are in, in
 * whatever order batches complete: an XACK never precedes the PubAck of the entry it acks. Several relays
 * on one stream share the work through the consumer group.
 */
import { Effect, FiberSet, Metric, Result, Semaphore } from "effect"
import { MarketLog } from "../adapters/nats/market-log.ts"
import { routeEntry } from "../adapters/redis/event-entry.ts"
import { EventStream, type StreamEntry } from "../adapters/redis/event-stream.ts"
import type { LogFact } from "../domain/market-event.ts"
import { retryDownstream } from "./downstream-retry.ts"
import { countersFromZero, duplicatesTotal, stageDeadLetters, stageEvents } from "./pipeline-metrics.ts"

export interface RelayOptions {
  readonly group: string
  readonly consumer: string
  readonly batchSize: number
  readonly blockMs: number
  /** Pending entries idle this long belonged to a relay that died: take them over. */
  readonly claimIdleMs: number
  /** Batches published and awaiting their PubAcks at once (default 4). */
  readonly inFlight?: number
  /** How often the relayed part of the Redis stream is trimmed (default 5 s). */
  readonly trimEveryMs?: number
  /** Told of a batch's events, a part at a time, once JetStream has them (the latest-bar view of `minutebar up`). */
  readonly onRelayed?: (events: ReadonlyArray<LogFact>) => void
}

const encoder = new TextEncoder()
const retry = retryDownstream("relay")
/** Re-publishes JetStream dropped by message id: what restarts and takeovers cost, and nothing more. */
const relayDuplicates = Metric.withAttributes(duplicatesTotal, { stage: "relay" })
/**
 * A batch is published in parts of this many, each told to `onRelayed` once its own PubAcks are in: the view
 * of the first part does not wait for the last (a burst's head then shows in ~30 ms, not ~150). The Redis read
 * stays large, which a relay across a WAN needs (one round trip per read).
 */
const TELL_PART = 250

/** Publishes a batch, waits for all its PubAcks, dead-letters what cannot be routed, then XACKs it all. */
const relayBatch = Effect.fn("relay.batch")(function* (
  entries: ReadonlyArray<StreamEntry>,
  o: Pick<RelayOptions, "group" | "onRelayed">,
) {
  const redis = yield* EventStream
  const log = yield* MarketLog
  const good = []
  const dead = []
  for (const entry of entries) {
    const routed = routeEntry(entry)
    // The entry's JSON goes on as it came (validated, not re-encoded).
    if (Result.isSuccess(routed)) good.push({ ...routed.success, data: encoder.encode(routed.success.json) })
    else
      dead.push({
        type: "dead",
        data: JSON.stringify(entry.fields).slice(0, 65_536),
        reason: routed.failure,
        source_id: entry.id,
      })
  }
  const parts = []
  for (let i = 0; i < good.length; i += TELL_PART) parts.push(good.slice(i, i + TELL_PART))
  const published = yield* Effect.forEach(
    parts,
    (part) =>
      retry(log.publish(part)).pipe(
        Effect.tap(() => Effect.sync(() => o.onRelayed?.(part.map((g) => g.event)))),
      ),
    { concurrency: "unbounded" },
  )
  const duplicates = published.reduce((n, p) => n + p.duplicates, 0)
  if (dead.length > 0) {
    yield* retry(redis.appendTo(`${redis.stream}:dead`, dead))
    yield* Effect.logWarning(
      `relay: ${dead.length} entries to ${redis.stream}:dead, first: ${dead[0]!.reason}`,
    )
  }
  yield* retry(
    redis.ack(
      o.group,
      entries.map((e) => e.id),
    ),
  )
  yield* Metric.update(stageEvents("relay"), good.length)
  yield* Metric.update(stageDeadLetters("relay"), dead.length)
  yield* Metric.update(relayDuplicates, duplicates)
  return { relayed: good.length, duplicates, dead: dead.length }
})

/**
 * What to relay next: stale entries of dead consumers when a claim round is due (XAUTOCLAIM resets their
 * idle time, so a round ends even while its batches are still in flight), else new entries.
 */
const nextEntries = (redis: EventStream["Service"], o: RelayOptions) => {
  let lastClaim = 0
  let claiming = false
  return Effect.gen(function* () {
    if (!claiming && Date.now() - lastClaim > o.claimIdleMs / 2) {
      lastClaim = Date.now()
      claiming = true
    }
    if (claiming) {
      const stale = yield* retry(redis.claimStale(o.group, o.consumer, o.claimIdleMs, o.batchSize))
      if (stale.length > 0) return stale
      claiming = false
    }
    return yield* retry(redis.readNew(o.group, o.consumer, o.batchSize, o.blockMs))
  })
}

/** Trims what every group has relayed, at most every `everyMs`; a failed trim waits for the next round. */
const trimmer = (redis: EventStream["Service"], everyMs: number) => {
  let lastTrim = Date.now()
  return Effect.suspend(() => {
    if (Date.now() - lastTrim < everyMs) return Effect.void
    lastTrim = Date.now()
    return redis.trimRelayed.pipe(
      Effect.catch((e) => Effect.logWarning(`relay: trim failed: ${e.message}`)),
      Effect.asVoid,
    )
  })
}

/** Own pending first, one batch at a time: until it is acked, `XREADGROUP 0` would return a batch again. */
const recoverOwnPending = Effect.fn("relay.recover")(function* (o: RelayOptions) {
  const redis = yield* EventStream
  let recovered = 0
  for (;;) {
    const own = yield* retry(redis.readOwnPending(o.group, o.consumer, o.batchSize))
    if (own.length === 0) break
    yield* Effect.uninterruptible(relayBatch(own, o))
    recovered += own.length
  }
  if (recovered > 0) yield* Effect.logInfo(`relay: re-published ${recovered} entries read before a restart`)
})

/**
 * Reads and dispatches batches, up to `inFlight` of them awaiting PubAcks at once. A read and its dispatch
 * are one uninterruptible step, so a stop never drops entries already read; closing the scope interrupts
 * the batches in flight, which are uninterruptible too: it waits for them.
 */
const relayNew = (o: RelayOptions) =>
  Effect.scoped(
    Effect.gen(function* () {
      const redis = yield* EventStream
      const batches = yield* FiberSet.make<unknown, never>()
      const window = yield* Semaphore.make(o.inFlight ?? 4)
      const next = nextEntries(redis, o)
      const dispatch = Effect.gen(function* () {
        const entries = yield* next
        if (entries.length === 0) return
        yield* Semaphore.take(window, 1)
        yield* FiberSet.run(
          batches,
          relayBatch(entries, o).pipe(Effect.ensuring(Semaphore.release(window, 1)), Effect.uninterruptible),
        )
      })
      const trimIfDue = trimmer(redis, o.trimEveryMs ?? 5_000)
      // A batch that dies (a bug: writes retry forever) stops the relay instead of going unnoticed.
      yield* Effect.raceFirst(
        Effect.forever(Effect.uninterruptible(dispatch).pipe(Effect.andThen(trimIfDue))),
        FiberSet.join(batches),
      )
    }),
  )

/**
 * Runs until interrupted. A stop waits for the read in progress (at most `blockMs`), relays what it read,
 * and lets every batch in flight finish (publish, ack): a graceful stop leaves nothing pending.
 */
export const runRelay = Effect.fn("relay")(function* (o: RelayOptions) {
  const redis = yield* EventStream
  yield* countersFromZero("relay")
  yield* retry(redis.ensureGroup(o.group))
  yield* recoverOwnPending(o)
  yield* relayNew(o)
})
