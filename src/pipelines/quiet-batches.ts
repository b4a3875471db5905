/**
 * Batches of a stream, cut when the stream goes quiet. A live minute arrives as a burst over a few hundred
 * milliseconds: a batch that waits for the burst to end is written once, after it, instead of being cut a fixed
 * time after its first element (which writes while the burst's tail is still arriving, competing with it for
 * the CPU, and then writes the tail as a second batch). A batch also ends at `max` elements (a catch-up) and
 * `maxWaitMs` after its first element (a stream that never goes quiet).
 */
import { type Cause, Effect, Exit, Option, Queue, Stream } from "effect"

export interface QuietBatchOptions {
  readonly max: number
  /** A batch ends once no element came for this long. */
  readonly quietMs: number
  /** ... and at the latest this long after its first element. */
  readonly maxWaitMs: number
}

export const quietBatches = <A, E, R>(
  self: Stream.Stream<A, E, R>,
  o: QuietBatchOptions,
): Stream.Stream<Array<A>, E, R> =>
  Stream.unwrap(
    Effect.gen(function* () {
      // Bounded: the source waits while a batch is being written, as it does with `groupedWithin`.
      const queue = yield* Queue.bounded<A, E | Cause.Done>(o.max)
      yield* Effect.forkScoped(Stream.runIntoQueue(self, queue))
      // How the source ended while a batch was being filled: that batch is emitted first, the end comes next.
      let ended: Exit.Failure<unknown, E | Cause.Done> | undefined
      const nextBatch = Effect.gen(function* () {
        if (ended !== undefined) return yield* Effect.failCause(ended.cause)
        const batch: A[] = [...(yield* Queue.takeBetween(queue, 1, o.max))]
        const first = Date.now()
        while (batch.length < o.max) {
          const left = o.maxWaitMs - (Date.now() - first)
          if (left <= 0) break
          // An interrupted take takes nothing: no element is lost to the timeout.
          const more = yield* Effect.exit(
            Effect.timeoutOption(
              Queue.takeBetween(queue, 1, o.max - batch.length),
              Math.min(o.quietMs, left),
            ),
          )
          if (Exit.isFailure(more)) {
            ended = more
            break
          }
          if (Option.isNone(more.value)) break
          batch.push(...more.value.value)
        }
        return batch
      })
      return Stream.fromEffectRepeat(nextBatch)
    }),
  )
