/**
 * The durable market log on NATS JetStream: stream `MARKET` with subjects `bars.<period>.<EX>.<code>` and
 * `ref.<EX>.<code>`. Publishing carries a message id so a re-publish inside the duplicate window is a no-op;
 * readers are durable pull consumers that ack after their sink took the data.
 */
import {
  AckPolicy,
  DeliverPolicy,
  type JsMsg,
  jetstream,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream"
import { connect, nanos } from "@nats-io/transport-node"
import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { NatsError } from "./nats-error.ts"

export interface LogMessage {
  readonly subject: string
  readonly id: string
  readonly data: Uint8Array
}

export interface MarketLogOptions {
  readonly url: Redacted.Redacted<string>
  readonly stream: string
  readonly retentionDays: number
  readonly duplicateWindowMs: number
}

export interface DurableReadOptions {
  readonly durable: string
  readonly filterSubject: string
  readonly maxAckPending: number
  readonly ackWaitMs: number
  readonly pullBatch: number
}

export class MarketLog extends Context.Service<
  MarketLog,
  {
    readonly stream: string
    /** Publishes all messages and waits for every PubAck; resolves to how many were duplicates. */
    publish(messages: ReadonlyArray<LogMessage>): Effect.Effect<{ duplicates: number }, NatsError>
    /** Messages of a durable pull consumer (created or updated first); ack each after the sink took it. */
    durable(options: DurableReadOptions): Stream.Stream<JsMsg, NatsError>
    ping: Effect.Effect<void, NatsError>
  }
>()("minutebar/nats/MarketLog") {
  static readonly layer = (options: MarketLogOptions) => Layer.effect(MarketLog, makeMarketLog(options))
}

const makeMarketLog = Effect.fnUntraced(function* (options: MarketLogOptions) {
  const call = <A>(operation: string, f: () => Promise<A>) =>
    Effect.tryPromise({ try: f, catch: (cause) => new NatsError({ operation, cause }) })
  const nc = yield* Effect.acquireRelease(
    call("connect", () =>
      connect({
        servers: Redacted.value(options.url),
        name: "minutebar",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      }),
    ),
    (nc) => Effect.promise(() => nc.drain().catch(() => nc.close())),
  )
  const jsm = yield* call("jetstreamManager", () => jetstreamManager(nc))
  const js = jetstream(nc, { timeout: 10_000 })
  yield* ensureStream(jsm, options).pipe(
    Effect.mapError((cause) => new NatsError({ operation: "stream", cause })),
  )

  const publish = (messages: ReadonlyArray<LogMessage>) =>
    call("publish", async () => {
      const acks = await Promise.all(
        messages.map((m) =>
          js.publish(m.subject, m.data, { msgID: m.id, expect: { streamName: options.stream } }),
        ),
      )
      return { duplicates: acks.filter((a) => a.duplicate).length }
    })

  const durable = (o: DurableReadOptions) =>
    Stream.unwrap(
      call("consumer", async () => {
        const config = {
          durable_name: o.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: o.filterSubject,
          max_ack_pending: o.maxAckPending,
          ack_wait: nanos(o.ackWaitMs),
        }
        const existing = await jsm.consumers.info(options.stream, o.durable).catch(() => undefined)
        if (existing === undefined) await jsm.consumers.add(options.stream, config)
        else
          await jsm.consumers.update(options.stream, o.durable, {
            filter_subject: o.filterSubject,
            max_ack_pending: o.maxAckPending,
            ack_wait: config.ack_wait,
          })
        const consumer = await js.consumers.get(options.stream, o.durable)
        return consumer.consume({ max_messages: o.pullBatch })
      }).pipe(
        Effect.map((messages) =>
          Stream.fromAsyncIterable(messages, (cause) => new NatsError({ operation: "consume", cause })).pipe(
            Stream.ensuring(Effect.promise(() => messages.close().then(() => undefined))),
          ),
        ),
      ),
    )

  return MarketLog.of({
    stream: options.stream,
    publish,
    durable,
    ping: call("flush", () => nc.flush()),
  })
})

const ensureStream = (jsm: Awaited<ReturnType<typeof jetstreamManager>>, o: MarketLogOptions) =>
  Effect.tryPromise(async () => {
    const config = {
      name: o.stream,
      subjects: ["bars.>", "ref.>"],
      storage: StorageType.File,
      max_age: nanos(o.retentionDays * 86_400_000),
      duplicate_window: nanos(o.duplicateWindowMs),
      allow_direct: true,
    }
    const info = await jsm.streams.info(o.stream).catch(() => undefined)
    if (info === undefined) await jsm.streams.add(config)
    else await jsm.streams.update(o.stream, { ...info.config, ...config })
  })
