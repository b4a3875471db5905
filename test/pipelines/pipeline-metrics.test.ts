import { Effect, Metric } from "effect"
import { describe, expect, it } from "vitest"
import { countersFromZero } from "../../src/pipelines/pipeline-metrics.ts"

describe("a stage's counters", () => {
  it("are at 0 from the stage's start, so the first dead letter or retry is an increase Prometheus sees", async () => {
    await Effect.runPromise(countersFromZero("zero-test"))
    const ours = (await Effect.runPromise(Metric.snapshot)).filter((s) => s.attributes?.stage === "zero-test")
    expect(ours.map((s) => [s.id, s.type === "Counter" ? Number(s.state.count) : Number.NaN]).sort()).toEqual(
      [
        ["minutebar_dead_letters_total", 0],
        ["minutebar_duplicates_total", 0],
        ["minutebar_events_total", 0],
        ["minutebar_retries_total", 0],
      ],
    )
  })
})
