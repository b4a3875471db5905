/**
 * Projection: JetStream bar events -> ClickHouse tables. A durable consumer feeds batches cut by size or
 * time; each batch is one insert per table, and its messages are acked only after the insert succeeded.
 * Inserts are upserts keyed by (symbol, frame) with rev as version, so a redelivery changes nothing.
 */
import type { JsMsg } from "@nats-io/jetstream"
import { Duration, Effect, Metric, Result, Schema, Stream } from "effect"
import { BarStore } from "../adapters/clickhouse/bar-store.ts"
import { writeDeadLetters } from "../adapters/clickhouse/dead-letters.ts"
import { MarketLog } from "../adapters/nats/market-log.ts"
import { BarClosed } from "../domain/bar.ts"
import { retryDownstream } from "./downstream-retry.ts"
import { stageDeadLetters, stageEvents } from "./pipeline-metrics.ts"

export interface ProjectionOptions {
  readonly durable: string
  readonly batchSize: number
  readonly flushMs: number
}

const decodeBar = Schema.decodeUnknownResult(Schema.fromJsonString(BarClosed))
const decoder = new TextDecoder()

const projectBatch = Effect.fn("projection.batch")(function* (messages: ReadonlyArray<JsMsg>) {
  const store = yield* BarStore
  const bars: BarClosed[] = []
  const dead: { stage: string; reason: string; payload: string }[] = []
  for (const m of messages) {
    const text = decoder.decode(m.data)
    const bar = decodeBar(text)
    if (Result.isFailure(bar)) dead.push({ stage: "projection", reason: bar.failure.message, payload: text })
    else if (bar.success.period !== "1m")
      dead.push({ stage: "projection", reason: "not a 1m bar", payload: text })
    else bars.push(bar.success)
  }
  yield* retryDownstream("projection")(store.write("1m", bars))
  if (dead.length > 0) {
    yield* retryDownstream("projection")(writeDeadLetters(dead))
    yield* Effect.logWarning(`projection: ${dead.length} messages to dead_letters, first: ${dead[0]!.reason}`)
  }
  // The rows are in ClickHouse: only now may JetStream forget the messages.
  for (const m of messages) m.ack()
  yield* Metric.update(stageEvents("projection"), bars.length)
  yield* Metric.update(stageDeadLetters("projection"), dead.length)
})

/** Runs until interrupted; a batch in flight is written and acked before the projection stops. */
export const runProjection = (o: ProjectionOptions) =>
  Effect.gen(function* () {
    const log = yield* MarketLog
    yield* log
      .durable({
        durable: o.durable,
        filterSubject: "bars.1m.>",
        maxAckPending: Math.max(o.batchSize * 4, 20_000),
        ackWaitMs: 60_000,
        pullBatch: Math.min(o.batchSize, 5_000),
      })
      .pipe(
        Stream.groupedWithin(o.batchSize, Duration.millis(o.flushMs)),
        Stream.mapEffect((batch) => Effect.uninterruptible(projectBatch(batch))),
        Stream.runDrain,
      )
  }).pipe(Effect.withSpan("projection"))
