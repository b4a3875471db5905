/**
 * What the projection of this process just wrote, handed to readers in the same process (the latest-bar view of
 * `minutebar up`): they then need no consumer of their own on the log, which on two cores cost more than the
 * projection itself during a catch-up (a second delivery and decode of every message). A reader sees a bar once
 * it is in bars_1m, a few hundred milliseconds after the log has it.
 */
import { Effect, PubSub, type Scope, Stream } from "effect"
import type { BarClosed } from "../domain/bar.ts"
import type { InstrumentReference } from "../domain/instrument-reference.ts"
import type { LogFact } from "./log-tail.ts"

export interface ProjectedBatch {
  readonly bars: ReadonlyArray<BarClosed>
  readonly refs: ReadonlyArray<InstrumentReference>
}

export interface ProjectedFacts {
  /** Takes a written batch; never waits. */
  readonly offer: (batch: ProjectedBatch) => void
  /** Every fact offered from now on, for the life of the scope, a batch per chunk. */
  readonly subscribe: Effect.Effect<Stream.Stream<LogFact>, never, Scope.Scope>
}

export const makeProjectedFacts = Effect.gen(function* () {
  // Unbounded: the view applies a fact with a few map updates, far faster than batches are written.
  const hub = yield* PubSub.unbounded<ReadonlyArray<LogFact>>()
  yield* Effect.addFinalizer(() => PubSub.shutdown(hub))
  return {
    offer: (batch) => {
      const facts: LogFact[] = []
      for (const ref of batch.refs) facts.push({ _tag: "Ref", ref })
      for (const bar of batch.bars) facts.push({ _tag: "Bar", bar })
      if (facts.length > 0) PubSub.publishUnsafe(hub, facts)
    },
    subscribe: PubSub.subscribe(hub).pipe(
      Effect.map((s) => Stream.fromSubscription(s).pipe(Stream.flattenIterable)),
    ),
  } satisfies ProjectedFacts
})
