/** The pipeline counters a part's thread reports to the process that serves /metrics. */
import { Effect, Metric } from "effect"
import {
  deadLettersTotal,
  duplicatesTotal,
  eventsTotal,
  retriesTotal,
} from "../pipelines/pipeline-metrics.ts"

export interface CounterSample {
  readonly id: string
  readonly attributes: Readonly<Record<string, string>>
  readonly count: number
}

const BRIDGED = new Map(
  [eventsTotal, deadLettersTotal, duplicatesTotal, retriesTotal].map((m) => [m.id, m] as const),
)

export const counterKey = (s: CounterSample): string => `${s.id}${JSON.stringify(s.attributes)}`

/** The counter a sample adds to, on this thread; undefined for counters that are not the pipeline's. */
export const bridgedCounter = (s: CounterSample) => {
  const counter = BRIDGED.get(s.id)
  return counter === undefined ? undefined : Metric.withAttributes(counter, s.attributes)
}

/** This thread's pipeline counters now. */
export const counterSamples = (): CounterSample[] =>
  Effect.runSync(Metric.snapshot).flatMap((s) =>
    s.type === "Counter" && BRIDGED.has(s.id)
      ? [
          {
            id: s.id,
            attributes: Object.fromEntries(
              Object.entries(s.attributes ?? {}).map(([k, v]) => [k, String(v)]),
            ),
            count: Number(s.state.count),
          },
        ]
      : [],
  )
