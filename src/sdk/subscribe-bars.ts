/**
 * SDK: the live 1m bars of a named client as an async iterable:
 * `for await (const bar of subscribeBars({ natsUrl, name: "screen" })) show(bar)`.
 *
 * Client NAME is a durable consumer: a later run continues after the last bar this one took, and runs
 * sharing a name split the bars. A bar is acked when the loop asks for the next one or leaves the loop
 * (`break`, `return`, or a throw: its body is done with it); bars of the current pull not yet given out are
 * handed back (nak), so the next run or a sibling gets them at once and in order. A process that dies
 * holding bars has them delivered again after 30 s.
 */
import type { Consumer, JsMsg } from "@nats-io/jetstream"
import { ManagedRuntime } from "effect"
import { clientFilterSubject, openClientConsumer } from "../adapters/nats/client-consumers.ts"
import type { BarClosed } from "../domain/bar.ts"
import { clientMessage, clientSideSubjects } from "../pipelines/client-message.ts"
import { checkedName, checkedSymbols, type NatsTarget, natsLayer } from "./sdk-options.ts"

export interface SubscribeBarsOptions extends NatsTarget {
  readonly name: string
  /** Omitted or empty: every symbol. */
  readonly symbols?: ReadonlyArray<string>
  /** Where a new client starts; default: bars published from now on. An existing client ignores it. */
  readonly from?: Date | number
  /** Messages that are not bars (never expected) are dropped for good and told here. */
  readonly onBad?: (subject: string, reason: string) => void
  /** Bars asked for per pull (default 200). */
  readonly pullBatch?: number
}

const PULL_EXPIRES_MS = 1_000

// Acks the bar the caller was holding, then hands back the rest of the pull once the pull has ended.
const giveBack = async (held: JsMsg, it: AsyncIterator<JsMsg>) => {
  await held.ackAck()
  const rest: JsMsg[] = []
  for (let next = await it.next(); next.done !== true; next = await it.next()) rest.push(next.value)
  for (const m of rest) m.nak()
}

async function* barsOfPull(
  consumer: Consumer,
  o: SubscribeBarsOptions,
  wanted: ReadonlySet<string> | undefined,
) {
  const pull = await consumer.fetch({ max_messages: o.pullBatch ?? 200, expires: PULL_EXPIRES_MS })
  const it = pull[Symbol.asyncIterator]()
  let held: JsMsg | undefined
  try {
    for (let next = await it.next(); next.done !== true; next = await it.next()) {
      const m = next.value
      const c = clientMessage(m, wanted)
      if (c._tag === "Skip") m.ack()
      else if (c._tag === "Bad") {
        o.onBad?.(m.subject, c.reason)
        m.term()
      } else {
        held = m
        yield c.bar
        held = undefined
        m.ack()
      }
    }
  } finally {
    if (held !== undefined) await giveBack(held, it)
  }
}

export async function* subscribeBars(o: SubscribeBarsOptions): AsyncGenerator<BarClosed, void, undefined> {
  const symbols = checkedSymbols(o.symbols)
  const runtime = ManagedRuntime.make(natsLayer(o, `minutebar-client-${checkedName(o.name)}`))
  try {
    const from = o.from === undefined ? {} : { from: typeof o.from === "number" ? o.from : o.from.getTime() }
    const { consumer } = await runtime.runPromise(
      openClientConsumer({ name: o.name, filterSubject: clientFilterSubject(symbols), ...from }),
    )
    const wanted = clientSideSubjects(symbols)
    for (;;) yield* barsOfPull(consumer, o, wanted)
  } finally {
    await runtime.dispose()
  }
}
