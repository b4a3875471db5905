/**
 * How a stage retries a write downstream: forever, backing off to 2 s, logging each failure. A stage never
 * acks upstream what it could not write, so it waits for the downstream to come back instead of dropping.
 */
import { Effect, Metric, Schedule } from "effect"
import { stageRetries } from "./pipeline-metrics.ts"

export const untilWritten = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("2 seconds")])

export const retryDownstream =
  (stage: string) =>
  <A, E extends { readonly message: string }, R>(write: Effect.Effect<A, E, R>): Effect.Effect<A, never, R> =>
    write.pipe(
      Effect.tapError((e) =>
        Effect.logWarning(`${stage}: ${e.message}; retrying`).pipe(
          Effect.andThen(Metric.update(stageRetries(stage), 1)),
        ),
      ),
      Effect.retry(untilWritten),
      Effect.orDie,
    )
