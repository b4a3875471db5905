/**
 * The source side: quote events -> 1m bar builder -> Redis Stream (pipelined XADD). Bars close on the
 * exchange clock the source reports, so a quiet minute still yields its bar on time.
 */
import { Effect, Metric, Stream } from "effect"
import { EventStream } from "../adapters/redis/event-stream.ts"
import type { BarClosed } from "../domain/bar.ts"
import type { InstrumentReference } from "../domain/instrument-reference.ts"
import { makeMinuteBarBuilder } from "../domain/minute-bar-builder.ts"
import { retryDownstream } from "./downstream-retry.ts"
import { countersFromZero, stageDeadLetters, stageEvents } from "./pipeline-metrics.ts"
import type { QuoteEvent } from "./quote-event.ts"

export interface BarsToRedisOptions {
  readonly graceMs: number
  /** The day's reference data, sent before the first bar (QMT's bridge sends it at start and each new day). */
  readonly references?: ReadonlyArray<InstrumentReference>
  /** XADDs per pipeline round trip. */
  readonly chunk?: number
}

const toEntries = (bars: ReadonlyArray<BarClosed>) =>
  bars.map((b) => ({ type: "bar", data: JSON.stringify(b) }))

export const runBarsToRedis = <E, R>(events: Stream.Stream<QuoteEvent, E, R>, o: BarsToRedisOptions) =>
  Effect.gen(function* () {
    const redis = yield* EventStream
    const builder = makeMinuteBarBuilder({ graceMs: o.graceMs })
    let rejected = 0
    const barsOf = (event: QuoteEvent): BarClosed[] => {
      switch (event._tag) {
        case "Ticks": {
          const out: BarClosed[] = []
          for (const tick of event.ticks) {
            const r = builder.onTick(tick)
            if (r.rejected !== undefined) rejected++
            for (const b of r.bars) out.push(b)
          }
          return out
        }
        case "Clock":
          return builder.onClock(event.marketMs)
        case "EndOfDay":
          return builder.flushDay()
      }
    }
    yield* countersFromZero("source")
    const chunk = o.chunk ?? 1_000
    const refs = (o.references ?? []).map((r) => ({ type: "ref", data: JSON.stringify(r) }))
    for (let i = 0; i < refs.length; i += chunk)
      yield* retryDownstream("source")(redis.append(refs.slice(i, i + chunk)))
    let published = 0
    yield* events.pipe(
      Stream.map(barsOf),
      Stream.filter((bars) => bars.length > 0),
      Stream.mapEffect((bars) =>
        Effect.gen(function* () {
          for (let i = 0; i < bars.length; i += chunk) {
            yield* retryDownstream("source")(redis.append(toEntries(bars.slice(i, i + chunk))))
          }
          published += bars.length
          yield* Metric.update(stageEvents("source"), bars.length)
          if (rejected > 0) yield* Metric.update(stageDeadLetters("source"), rejected)
          rejected = 0
        }),
      ),
      Stream.runDrain,
    )
    return { published }
  })
