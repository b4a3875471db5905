/**
 * How a stage retries a write downstream: forever, backing off to 2 s, logging each failure. A stage never
 * acks upstream what it could not write, so it waits for the downstream to come back instead of dropping.
 * The first attempt runs as the caller runs it (a batch in flight at a stop is finished); the retries can
 * always be interrupted, so a stop does not wait for a server that is gone: what was not written was not
 * acked, and comes again after the restart.
 */
import { Effect, Metric, Schedule } from "effect"
import { stageRetries } from "./pipeline-metrics.ts"

export const untilWritten = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("2 seconds")])

export const retryDownstream =
  (stage: string) =>
  <A, E extends { readonly message: string }, R>(
    write: Effect.Effect<A, E, R>,
  ): Effect.Effect<A, never, R> => {
    const attempt = write.pipe(
      Effect.tapError((e) =>
        Effect.logWarning(`${stage}: ${e.message}; retrying`).pipe(
          Effect.andThen(Metric.update(stageRetries(stage), 1)),
        ),
      ),
    )
    return attempt.pipe(
      Effect.catch(() =>
        Effect.interruptible(
          Effect.sleep("100 millis").pipe(Effect.andThen(Effect.retry(attempt, untilWritten))),
        ),
      ),
      Effect.orDie,
    )
  }
