/**
 * The log's facts as the projection of this process receives them (before it writes them), handed to readers in
 * the same process: the latest-bar view of `minutebar up` then needs no consumer of its own on the log (one
 * delivery and one decode less per message) and sees a bar as soon as the projection has it. Bounded: a reader
 * that falls behind holds up the projection rather than miss facts.
 */
import { Effect, PubSub, type Scope, Stream } from "effect"
import { type LogFact, parseFact } from "./log-tail.ts"

/** A message of the log as far as facts go. */
export interface DeliveredMessage {
  readonly subject: string
  readonly data: Uint8Array
}

export interface DeliveredFacts {
  readonly publish: (messages: ReadonlyArray<DeliveredMessage>) => Effect.Effect<void>
  /** Every fact delivered from now on, for the life of the scope. */
  readonly subscribe: Effect.Effect<Stream.Stream<LogFact>, never, Scope.Scope>
}

export const makeDeliveredFacts = Effect.gen(function* () {
  const hub = yield* PubSub.bounded<ReadonlyArray<LogFact>>(64)
  yield* Effect.addFinalizer(() => PubSub.shutdown(hub))
  return {
    publish: (messages) =>
      Effect.suspend(() => {
        const facts: LogFact[] = []
        for (const m of messages) {
          const fact = parseFact(m.subject, m.data)
          if (fact !== undefined) facts.push(fact)
        }
        return facts.length === 0 ? Effect.void : PubSub.publish(hub, facts).pipe(Effect.asVoid)
      }),
    subscribe: PubSub.subscribe(hub).pipe(
      Effect.map((s) => Stream.fromSubscription(s).pipe(Stream.flattenIterable)),
    ),
  } satisfies DeliveredFacts
})
