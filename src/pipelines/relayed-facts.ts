/**
 * What the relay of this process has just put in the log, handed to readers in the same process (the
 * latest-bar view of `minutebar up` on an embedded Redis, where no other relay takes part of the stream):
 * they then need no consumer of their own on the log, and see a bar as
 * soon as JetStream has it, not after the projection's batch is written (which waits for the batch to fill
 * and four inserts, ~0.5 s of a minute's burst on two cores).
 */
import { Effect, PubSub, type Scope, Stream } from "effect"
import type { LogFact } from "../domain/market-event.ts"

export interface RelayedFacts {
  /** Takes a batch the log has acknowledged; never waits. */
  readonly offer: (events: ReadonlyArray<LogFact>) => void
  /** Every fact offered from now on, for the life of the scope, a batch per chunk. */
  readonly subscribe: Effect.Effect<Stream.Stream<LogFact>, never, Scope.Scope>
}

export const makeRelayedFacts = Effect.gen(function* () {
  // Unbounded: the view applies a fact with a few map updates, far faster than the relay publishes.
  const hub = yield* PubSub.unbounded<ReadonlyArray<LogFact>>()
  yield* Effect.addFinalizer(() => PubSub.shutdown(hub))
  return {
    offer: (events) => {
      if (events.length > 0) PubSub.publishUnsafe(hub, events)
    },
    subscribe: PubSub.subscribe(hub).pipe(
      Effect.map((s) => Stream.fromSubscription(s).pipe(Stream.flattenIterable)),
    ),
  } satisfies RelayedFacts
})
