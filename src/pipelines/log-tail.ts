/**
 * Watches the market log without taking part in it: the newest fact of every subject, then every new one
 * (an ordered consumer, no acks), and how far a durable consumer is behind. Feeds the API's latest-bar view.
 * Beside the relay in the same process, when it is the only relay (an embedded Redis), new facts come from
 * what it published instead (relayed-facts.ts): the log is then read only for the newest fact of every subject.
 */
import { DeliverPolicy, type JsMsg } from "@nats-io/jetstream"
import { Context, Effect, Layer, Result, Stream } from "effect"
import { consumedMessages } from "../adapters/nats/consumed-messages.ts"
import { NatsClient, natsCall } from "../adapters/nats/nats-client.ts"
import type { NatsError } from "../adapters/nats/nats-error.ts"
import { decodeBarClosedJson } from "../domain/bar-closed-fast.ts"
import { decodeReferenceJson } from "../domain/instrument-reference.ts"
import type { LogFact } from "../domain/market-event.ts"
import type { RelayedFacts } from "./relayed-facts.ts"

export interface ConsumerLag {
  readonly consumer: string
  /** Messages the consumer has not been delivered yet. */
  readonly pending: number
  /** Messages delivered but not acked yet. */
  readonly ackPending: number
}

export interface LogTailOptions {
  /** New facts as the relay of this process publishes them, instead of from the log. */
  readonly relayed?: RelayedFacts
}

const decoder = new TextDecoder()

/** Only 1m bars and reference data matter here; malformed messages are the projection's to dead-letter. */
export const parseFact = (subject: string, data: Uint8Array): LogFact | undefined => {
  if (subject.startsWith("bars.1m.")) {
    const bar = decodeBarClosedJson(decoder.decode(data))
    return Result.isSuccess(bar) ? { _tag: "Bar", bar: bar.success } : undefined
  }
  if (subject.startsWith("ref.")) {
    const ref = decodeReferenceJson(decoder.decode(data))
    return Result.isSuccess(ref) ? { _tag: "Ref", ref: ref.success } : undefined
  }
  return undefined
}

export class LogTail extends Context.Service<
  LogTail,
  {
    /** The last message of every subject (each symbol's newest bar and reference data), then live ones. */
    readonly facts: Stream.Stream<LogFact, NatsError>
    /** How far behind each durable consumer of the log whose name passes `named` is. */
    consumerLags(named: (durable: string) => boolean): Effect.Effect<ConsumerLag[], NatsError>
  }
>()("minutebar/pipelines/LogTail") {
  /** On the process' NatsClient connection (its stream is the log). */
  static readonly layer = (options: LogTailOptions = {}) => Layer.effect(LogTail, makeLogTail(options))
}

const makeLogTail = Effect.fnUntraced(function* (options: LogTailOptions) {
  const { js, jsm, stream } = yield* NatsClient

  // An ordered consumer re-creates itself after a gap or reconnect from the last sequence it saw, so the
  // stream goes on without duplicates; no filter means every subject (bars and ref).
  const newestThenNew = natsCall("ordered consumer", () =>
    js.consumers.get(stream, { deliver_policy: DeliverPolicy.LastPerSubject }),
  ).pipe(
    Effect.map((consumer) =>
      consumedMessages("tail", (callback) => consumer.consume({ max_messages: 5_000, callback })),
    ),
  )
  const asFacts = <E>(messages: Stream.Stream<JsMsg, E>) =>
    messages.pipe(
      Stream.map((m) => parseFact(m.subject, m.data)),
      Stream.filter((f): f is LogFact => f !== undefined),
    )

  const relayed = options.relayed
  const facts =
    relayed === undefined
      ? asFacts(Stream.unwrap(newestThenNew))
      : // Subscribed first, so a fact relayed while the newest ones are read is not missed (one seen twice
        // changes nothing). The newest ones end where the log ended when they were asked for.
        Stream.unwrap(
          Effect.gen(function* () {
            const fromRelay = yield* relayed.subscribe
            const empty =
              (yield* natsCall("stream info", () => jsm.streams.info(stream))).state.messages === 0
            const newest = empty
              ? Stream.empty
              : Stream.unwrap(newestThenNew).pipe(Stream.takeUntil((m) => m.info.pending === 0))
            return Stream.concat(asFacts(newest), fromRelay)
          }),
        )

  const consumerLags = (named: (durable: string) => boolean) =>
    natsCall("consumer list", async () => {
      const lags: ConsumerLag[] = []
      for await (const i of jsm.consumers.list(stream)) {
        const durable = i.config.durable_name
        if (durable !== undefined && named(durable))
          lags.push({ consumer: durable, pending: i.num_pending, ackPending: i.num_ack_pending })
      }
      return lags.sort((a, b) => (a.consumer < b.consumer ? -1 : 1))
    })

  return LogTail.of({ facts, consumerLags })
})
