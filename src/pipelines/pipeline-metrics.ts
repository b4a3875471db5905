/** Counters every stage updates; `/metrics` renders them in Prometheus text. */
import { Effect, Metric } from "effect"

export const eventsTotal = Metric.counter("minutebar_events_total", {
  description: "Events a stage handed on downstream (ticks, bars, messages)",
})

export const deadLettersTotal = Metric.counter("minutebar_dead_letters_total", {
  description: "Inputs a stage rejected to its dead-letter place, with a reason",
})

export const duplicatesTotal = Metric.counter("minutebar_duplicates_total", {
  description: "Re-published events JetStream recognised by message id and dropped",
})

export const retriesTotal = Metric.counter("minutebar_retries_total", {
  description: "Downstream writes that failed and were retried",
})

export const stageEvents = (stage: string) => Metric.withAttributes(eventsTotal, { stage })
export const stageDeadLetters = (stage: string) => Metric.withAttributes(deadLettersTotal, { stage })
export const stageRetries = (stage: string) => Metric.withAttributes(retriesTotal, { stage })

/**
 * A stage's counters at 0 from its start: Prometheus' increase() cannot see a series' first value, so a
 * counter that first appears at 1 (the first dead letter, the first retry) would never raise an alert.
 */
export const countersFromZero = (stage: string) =>
  Effect.forEach([eventsTotal, deadLettersTotal, retriesTotal, duplicatesTotal], (counter) =>
    Metric.update(Metric.withAttributes(counter, { stage }), 0),
  ).pipe(Effect.asVoid)
