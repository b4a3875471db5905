/**
 * The durable market log on NATS JetStream: stream `MARKET` with subjects `bars.<period>.<EX>.<code>` and
 * `ref.<EX>.<code>`. Publishing carries a message id so a re-publish inside the duplicate window is a no-op;
 * readers are durable pull consumers that ack after their sink took the data.
 */
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, nanos } from "@nats-io/transport-node"
import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { consumedMessages } from "./consumed-messages.ts"
import { NatsError } from "./nats-error.ts"
import { type LogMessage, makePubAckPublisher } from "./pub-ack-publisher.ts"
import { ensureStream, type StreamLimits } from "./stream-limits.ts"

export type { LogMessage }

export interface MarketLogOptions extends StreamLimits {
  readonly url: Redacted.Redacted<string>
  /** A batch without all its PubAcks after this long fails (and is published again by the caller). */
  readonly publishTimeoutMs?: number
}

export interface DurableReadOptions {
  readonly durable: string
  /** Omitted: every subject of the stream, in log order. */
  readonly filterSubject?: string
  /**
   * A new durable starts after what this one has acked (its ack floor), when it exists: a consumer that takes
   * over part of another's work goes on where that one is. Otherwise, and when unset, at the log's start.
   */
  readonly continueFrom?: string
  readonly maxAckPending: number
  readonly ackWaitMs: number
  readonly pullBatch: number
}

export interface LogRange {
  readonly fromSeq?: number
  /** Epoch ms; the first message stored at or after it. */
  readonly fromTime?: number
  readonly toSeq: number
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
    /** The sequence of the newest message in the log (0 when empty). */
    lastSequence: Effect.Effect<number, NatsError>
    /** The log from a start (sequence, or time) through `toSeq`, in order, with an ordered consumer (no acks). */
    readRange(range: LogRange): Stream.Stream<JsMsg, NatsError>
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
  yield* call("stream", () => ensureStream(jsm, options))

  const publisher = makePubAckPublisher(nc, {
    stream: options.stream,
    timeoutMs: options.publishTimeoutMs ?? 5_000,
  })
  const publish = (messages: ReadonlyArray<LogMessage>) => call("publish", () => publisher.publish(messages))

  const durable = (o: DurableReadOptions) =>
    Stream.unwrap(
      call("consumer", async () => {
        const config = {
          durable_name: o.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ...(o.filterSubject === undefined ? {} : { filter_subject: o.filterSubject }),
          max_ack_pending: o.maxAckPending,
          ack_wait: nanos(o.ackWaitMs),
        }
        const info = (durable: string) => jsm.consumers.info(options.stream, durable).catch(() => undefined)
        const existing = await info(o.durable)
        if (existing === undefined) {
          const from = o.continueFrom === undefined ? undefined : await info(o.continueFrom)
          await jsm.consumers.add(
            options.stream,
            from === undefined
              ? config
              : {
                  ...config,
                  deliver_policy: DeliverPolicy.StartSequence,
                  opt_start_seq: from.ack_floor.stream_seq + 1,
                },
          )
        } else
          await jsm.consumers.update(options.stream, o.durable, {
            ...(o.filterSubject === undefined ? {} : { filter_subject: o.filterSubject }),
            max_ack_pending: o.maxAckPending,
            ack_wait: config.ack_wait,
          })
        return js.consumers.get(options.stream, o.durable)
      }).pipe(
        Effect.map((consumer) =>
          consumedMessages("consume", (callback) =>
            consumer.consume({ max_messages: o.pullBatch, callback }),
          ),
        ),
      ),
    )

  const readRange = (r: LogRange): Stream.Stream<JsMsg, NatsError> =>
    Stream.unwrap(
      call("ordered consumer", async () => {
        const start =
          r.fromTime !== undefined
            ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(r.fromTime).toISOString() }
            : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, r.fromSeq ?? 1) }
        return js.consumers.get(options.stream, start)
      }).pipe(
        Effect.map((consumer) =>
          consumedMessages("read", (callback) => consumer.consume({ max_messages: 5_000, callback })).pipe(
            Stream.takeUntil((m) => m.seq >= r.toSeq),
            // A start after the newest message would wait forever: an idle log ends the read.
            Stream.timeout("10 seconds"),
          ),
        ),
      ),
    )

  return MarketLog.of({
    stream: options.stream,
    publish,
    durable,
    ping: call("flush", () => nc.flush()),
    lastSequence: call("stream info", () => jsm.streams.info(options.stream)).pipe(
      Effect.map((i) => i.state.last_seq),
    ),
    readRange,
  })
})
