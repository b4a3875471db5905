/**
 * A named client reading live bars: its durable consumer -> decode -> symbol filter -> sink -> ack, one pull
 * at a time. A pull is handled whole and uninterruptibly and its last ack is confirmed by the server, so a
 * stop (SIGINT, SIGTERM) lands between pulls with every delivered bar written and acked: the restart goes on
 * with the next bar, no gap and no repeat. A crash instead leaves its unacked bars to be delivered again
 * after the ack wait (30 s): at least once. Processes sharing a name split the log pull by pull.
 */
import type { Consumer, JsMsg } from "@nats-io/jetstream"
import { Effect } from "effect"
import { clientFilterSubject, openClientConsumer } from "../adapters/nats/client-consumers.ts"
import { natsCall } from "../adapters/nats/nats-client.ts"
import type { BarClosed } from "../domain/bar.ts"
import type { SymbolCode } from "../domain/symbol.ts"
import { type ClientMessage, clientMessage, clientSideSubjects } from "./client-message.ts"

export interface SubscriptionOptions {
  readonly name: string
  /** Empty: every symbol. */
  readonly symbols: ReadonlyArray<SymbolCode>
  /** Epoch ms to start from when the client is new; default: bars published from now on. */
  readonly from?: number
  /** Bars asked for per pull. */
  readonly pullBatch?: number
}

export interface BarSink<E> {
  /** Writes a bar; false when the reader has gone (the bar is then not acked). */
  readonly bar: (bar: BarClosed) => Effect.Effect<boolean, E>
  /** A message that can never be a bar: reported, then never delivered again. */
  readonly bad: (subject: string, reason: string) => Effect.Effect<void>
  /** The client's consumer is open; `created`: it is new, else it continues where it stopped. */
  readonly opened: (created: boolean) => Effect.Effect<void>
}

/** How long an idle pull waits for bars: a stop waits at most this long. */
const PULL_EXPIRES_MS = 1_000

const handlePull = <E>(
  consumer: Consumer,
  wanted: ReadonlySet<string> | undefined,
  sink: BarSink<E>,
  batch: number,
) =>
  Effect.gen(function* () {
    const messages = yield* natsCall("fetch", () =>
      consumer.fetch({ max_messages: batch, expires: PULL_EXPIRES_MS }),
    )
    const it = messages[Symbol.asyncIterator]()
    // Once the reader has gone, the rest of the pull is given back in order, after the pull ended: a nak
    // during it would be delivered straight back to it.
    const unread: JsMsg[] = []
    // Handled, its ack deferred so the pull's last ack can be a confirmed one.
    let held: JsMsg | undefined
    let open = true
    for (;;) {
      const next = yield* natsCall("fetch", () => it.next())
      if (next.done === true) break
      const m = next.value
      const c: ClientMessage | undefined = open ? clientMessage(m, wanted) : undefined
      if (c?._tag === "Bar") open = yield* sink.bar(c.bar)
      if (c === undefined || !open) {
        unread.push(m)
        continue
      }
      held?.ack()
      held = c._tag === "Bad" ? undefined : m
      if (c._tag === "Bad")
        yield* sink.bad(m.subject, c.reason).pipe(Effect.andThen(Effect.sync(() => m.term())))
    }
    for (const m of unread) m.nak()
    const last = held
    if (last !== undefined) yield* natsCall("ack", () => last.ackAck())
    return open
  })

/** Runs client `o.name` into `sink` until the reader goes or the fiber is interrupted (between pulls). */
export const runClientSubscription = Effect.fn("runClientSubscription")(function* <E>(
  o: SubscriptionOptions,
  sink: BarSink<E>,
) {
  const { consumer, created } = yield* openClientConsumer({
    name: o.name,
    filterSubject: clientFilterSubject(o.symbols),
    ...(o.from === undefined ? {} : { from: o.from }),
  })
  yield* sink.opened(created)
  const wanted = clientSideSubjects(o.symbols)
  let open = true
  while (open) open = yield* Effect.uninterruptible(handlePull(consumer, wanted, sink, o.pullBatch ?? 200))
})
