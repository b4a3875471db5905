/**
 * What the projection just wrote, handed to readers in the same process (the latest-bar view of `minutebar
 * up`), so that they do not read the whole log a second time: one JetStream consumer instead of two, and one
 * decode of each message. Bounded: a reader that falls behind holds up the projection rather than miss facts.
 */
import { Effect, PubSub, type Scope, Stream } from "effect"
import type { BarClosed } from "../domain/bar.ts"
import type { InstrumentReference } from "../domain/instrument-reference.ts"

export interface ProjectedBatch {
  readonly bars: ReadonlyArray<BarClosed>
  readonly refs: ReadonlyArray<InstrumentReference>
}

export interface ProjectedFacts {
  readonly publish: (batch: ProjectedBatch) => Effect.Effect<void>
  /** Every batch projected from now on, for the life of the scope. */
  readonly subscribe: Effect.Effect<Stream.Stream<ProjectedBatch>, never, Scope.Scope>
}

export const makeProjectedFacts = Effect.gen(function* () {
  const hub = yield* PubSub.bounded<ProjectedBatch>(16)
  yield* Effect.addFinalizer(() => PubSub.shutdown(hub))
  return {
    publish: (batch) =>
      batch.bars.length + batch.refs.length === 0
        ? Effect.void
        : PubSub.publish(hub, batch).pipe(Effect.asVoid),
    subscribe: PubSub.subscribe(hub).pipe(Effect.map(Stream.fromSubscription)),
  } satisfies ProjectedFacts
})
