/**
 * Projection: the log -> ClickHouse tables bars_1m, bars_5m, bars_30m, bars_1d and instrument_ref. A durable
 * consumer feeds batches cut by size, at a quiet moment (the end of a minute's burst) or by time; each batch is
 * one insert per table, and its messages are acked only after every insert succeeded. Derived bars are upserts whose rev depends only on the set of 1m bars of
 * their bucket, so a redelivered or replayed batch writes the same rows again and changes nothing.
 */
import type { JsMsg } from "@nats-io/jetstream"
import { Data, Effect, Metric, Stream } from "effect"
import type { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import { type ClickHouseError, rowsRefused } from "../adapters/clickhouse/clickhouse-error.ts"
import { writeDeadLetters } from "../adapters/clickhouse/dead-letters.ts"
import { ProjectionStore, type SymbolDay } from "../adapters/clickhouse/projection-store.ts"
import { MarketLog } from "../adapters/nats/market-log.ts"
import type { BarClosed } from "../domain/bar.ts"
import { sampleDaily } from "../domain/daily-bar.ts"
import { makeIncrementalResampler } from "../domain/incremental-resampler.ts"
import { exchangeSubjects } from "../domain/market-event.ts"
import type { Exchange } from "../domain/symbol.ts"
import { retryDownstream, untilWritten } from "./downstream-retry.ts"
import { countersFromZero, stageDeadLetters, stageEvents } from "./pipeline-metrics.ts"
import { type DecodedBatch, decodeLogBatch } from "./projection-decode.ts"
import { dayKey, ProjectionState } from "./projection-state.ts"
import { quietBatches } from "./quiet-batches.ts"

export interface ProjectionOptions {
  readonly durable: string
  readonly batchSize: number
  /** A batch is written at the latest this long after its first message... */
  readonly flushMs: number
  /** ... or once no message came for this long (default 30 ms, at most flushMs): after a minute's burst. */
  readonly quietMs?: number
  readonly ackWaitMs?: number
  /**
   * Only these exchanges, each on two durables of its own (`<durable>-SH` for the bars, `<durable>-SH-ref` for
   * the reference data: NATS before 2.10 filters a consumer by one subject). A symbol's derived bars need only
   * its own 1m bars and reference data, so processes on disjoint exchanges share the work and the tables.
   * Empty or unset: the whole log on `durable`.
   */
  readonly exchanges?: ReadonlyArray<Exchange>
}

/** Whether a durable consumer of the log is one of `projectionConsumers` for the projection on `durable`. */
export const isProjectionConsumer = (durable: string) => (name: string) =>
  name === durable || name.startsWith(`${durable}-`)

/** The durable consumers a projection reads, with their filters. */
export const projectionConsumers = (o: Pick<ProjectionOptions, "durable" | "exchanges">) =>
  o.exchanges === undefined || o.exchanges.length === 0
    ? [{ durable: o.durable }]
    : o.exchanges.flatMap((ex) => {
        const subjects = exchangeSubjects(ex)
        // Taking over from a projection of the whole market: on from where it is, not the log's start.
        return [
          { durable: `${o.durable}-${ex}`, filterSubject: subjects.bars, continueFrom: o.durable },
          { durable: `${o.durable}-${ex}-ref`, filterSubject: subjects.refs, continueFrom: o.durable },
        ]
      })

const retry = retryDownstream("projection")

/** ClickHouse refused rows as the log has them: no retry can help; the batch is split to find them. */
export class RowsRefused extends Data.TaggedError("RowsRefused")<{ readonly reason: string }> {}

/**
 * A write of the log's own rows (1m bars, reference data): retried like every write, except when ClickHouse
 * refuses the rows themselves. Derived rows are computed here from accepted 1m bars: a refusal of those is a
 * bug, and is retried (and counted) until it is fixed rather than losing the rows that depend on it.
 */
const writeLogRows = <R>(write: Effect.Effect<void, ClickHouseError, R>) =>
  retry(
    write.pipe(
      Effect.as<ClickHouseError | undefined>(undefined),
      Effect.catch((e) => (rowsRefused(e) ? Effect.succeed(e) : Effect.fail(e))),
    ),
  ).pipe(
    Effect.flatMap((refused) =>
      refused === undefined ? Effect.void : Effect.fail(new RowsRefused({ reason: refused.message })),
    ),
  )

/** Brings (symbol, day) pairs seen for the first time up to what ClickHouse holds. */
const hydrate = Effect.fnUntraced(function* (state: ProjectionState, pairs: ReadonlyArray<SymbolDay>) {
  if (pairs.length === 0) return
  const store = yield* ProjectionStore
  for (const bar of yield* retry(store.minuteBarsOf(pairs))) state.resampler.record(bar)
  for (const ref of yield* retry(store.referencesOf(pairs))) state.refs.set(dayKey(ref.symbol, ref.day), ref)
  for (const p of yield* retry(store.previousClosesOf(pairs))) state.recordClose(p.symbol, p.day, p.close)
  for (const p of pairs) state.hydrated.add(dayKey(p.symbol, p.day))
})

const newPairs = (state: ProjectionState, batch: DecodedBatch): SymbolDay[] => {
  const pairs = new Map<string, SymbolDay>()
  const add = (symbol: string, day: string) => {
    const key = dayKey(symbol, day)
    if (!state.hydrated.has(key)) pairs.set(key, { symbol, day })
  }
  for (const b of batch.bars) add(b.symbol, b.frame.slice(0, 10))
  for (const r of batch.refs) add(r.symbol, r.day)
  return [...pairs.values()]
}

type Touch = Pick<BarClosed, "symbol" | "frame">

/**
 * The latest state of every bucket the batch touched, per period. Days the live resampler no longer holds
 * (a late revision, or days replayed out of order) are computed from that day's 1m bars in ClickHouse.
 */
const derivedBars = Effect.fnUntraced(function* (
  state: ProjectionState,
  batch: DecodedBatch,
): Effect.fn.Return<Map<string, BarClosed>, never, ProjectionStore> {
  const out = new Map<string, BarClosed>()
  // The resampler hands out the same object for a bucket until it changes: each is keyed once.
  const seen = new Set<{ bar: BarClosed }>()
  const take = (resampled: ReadonlyArray<{ bar: BarClosed }>) => {
    for (const r of resampled) {
      if (seen.has(r)) continue
      seen.add(r)
      // rev 0 means no 1m bar of the bucket is in yet (reference data ahead of the day's bars).
      if (r.bar.rev > 0) out.set(`${r.bar.period}|${r.bar.symbol}|${r.bar.frame}`, r.bar)
    }
  }
  const touched: Touch[] = [
    ...batch.bars,
    ...batch.refs.map((r) => ({ symbol: r.symbol, frame: `${r.day} 15:00:00` })),
  ]
  const cold: Touch[] = []
  for (const t of touched) {
    const resampled = state.resampler.bucketsOf(t)
    if (resampled.length === 0) cold.push(t)
    else take(resampled)
  }
  if (cold.length === 0) return out
  const pairs = new Map(
    cold.map((t) => [
      dayKey(t.symbol, t.frame.slice(0, 10)),
      { symbol: t.symbol, day: t.frame.slice(0, 10) },
    ]),
  )
  const store = yield* ProjectionStore
  const past = makeIncrementalResampler(["5m", "30m", "1d"], { retainDays: 10_000 })
  const stored: ReadonlyArray<BarClosed> = yield* retry(store.minuteBarsOf([...pairs.values()]))
  for (const bar of stored) past.record(bar)
  for (const t of cold) take(past.bucketsOf(t))
  return out
})

/** Daily rows sampled with the day's reference data, then 5m, 30m and 1d written side by side. */
const writeDerived = Effect.fnUntraced(function* (state: ProjectionState, derived: ReadonlyArray<BarClosed>) {
  const store = yield* ProjectionStore
  const daily = derived
    .filter((b) => b.period === "1d")
    .map((b) => {
      const row = sampleDaily(
        b,
        state.refs.get(dayKey(b.symbol, b.frame)),
        state.previousClose(b.symbol, b.frame),
      )
      state.recordClose(b.symbol, b.frame, b.close)
      return row
    })
  // Independent tables: one insert's rows are encoded while ClickHouse takes another's.
  yield* Effect.all(
    [
      retry(
        store.writeBars(
          "5m",
          derived.filter((b) => b.period === "5m"),
        ),
      ),
      retry(
        store.writeBars(
          "30m",
          derived.filter((b) => b.period === "30m"),
        ),
      ),
      daily.length > 0 ? retry(store.writeDaily(daily)) : Effect.void,
    ],
    { concurrency: "unbounded", discard: true },
  )
})

/** A message of the log as the projection needs it: from a durable consumer, or an ordered one (rebuild). */
export type LogEntry = Pick<JsMsg, "subject" | "data" | "seq">

/** Writes one batch to every table (one insert each); the caller acks the batch after this succeeded. */
export const projectBatch = Effect.fn("projection.batch")(function* (
  state: ProjectionState,
  messages: ReadonlyArray<LogEntry>,
) {
  const store = yield* ProjectionStore
  const batch = decodeLogBatch(messages)
  if (batch.dead.length > 0) {
    yield* retry(writeDeadLetters(batch.dead))
    yield* Effect.logWarning(
      `projection: ${batch.dead.length} messages to dead_letters, first: ${batch.dead[0]!.reason}`,
    )
  }
  if (batch.refs.length > 0) yield* writeLogRows(store.writeReferences(batch.refs))
  for (const r of batch.refs) state.refs.set(dayKey(r.symbol, r.day), r)
  yield* writeLogRows(store.writeBars("1m", batch.bars))
  yield* hydrate(state, newPairs(state, batch))
  // Buckets are computed after the whole batch is in: once per touched bucket, not once per bar.
  for (const b of batch.bars) state.resampler.record(b)
  const derived = [...(yield* derivedBars(state, batch)).values()]
  yield* writeDerived(state, derived)
  let newest = ""
  for (const b of batch.bars) if (b.frame > newest) newest = b.frame
  if (newest !== "") state.prune(newest.slice(0, 10))
  yield* Metric.update(stageEvents("projection"), batch.bars.length + batch.refs.length)
  yield* Metric.update(stageDeadLetters("projection"), batch.dead.length)
})

const decoder = new TextDecoder()

/**
 * Projects a batch; where ClickHouse refuses some of its rows, halves it until each refused message stands
 * alone and goes to dead_letters with ClickHouse's reason, and the rest is written. `done` runs for each part
 * once it is written or dead-lettered (the caller acks there).
 */
export const projectOrSplit = <M extends LogEntry>(
  state: ProjectionState,
  messages: ReadonlyArray<M>,
  done: (part: ReadonlyArray<M>) => Effect.Effect<void>,
): Effect.Effect<void, never, ProjectionStore | ClickHouse> =>
  projectBatch(state, messages).pipe(
    Effect.andThen(done(messages)),
    Effect.catchTag("RowsRefused", (refused) => {
      if (messages.length > 1) {
        const half = Math.ceil(messages.length / 2)
        return projectOrSplit(state, messages.slice(0, half), done).pipe(
          Effect.andThen(projectOrSplit(state, messages.slice(half), done)),
        )
      }
      const m = messages[0]!
      const reason = `${m.subject}: ClickHouse refused it: ${refused.reason}`
      return retry(writeDeadLetters([{ stage: "projection", reason, payload: decoder.decode(m.data) }])).pipe(
        Effect.andThen(Metric.update(stageDeadLetters("projection"), 1)),
        Effect.andThen(Effect.logWarning(`projection: a message to dead_letters: ${reason}`)),
        Effect.andThen(done(messages)),
      )
    }),
  )

/** Runs until interrupted; a batch in flight is written and acked before the projection stops. */
export const runProjection = (o: ProjectionOptions) =>
  Effect.gen(function* () {
    const log = yield* MarketLog
    yield* countersFromZero("projection")
    const state = new ProjectionState()
    const consumed = projectionConsumers(o).map((c) =>
      log.durable({
        ...c,
        // Few batches in flight: what a killed projection held waits out ack_wait before anyone gets it.
        maxAckPending: o.batchSize * 2,
        ackWaitMs: o.ackWaitMs ?? 30_000,
        pullBatch: Math.min(o.batchSize, 5_000),
      }),
    )
    // One consumer (the whole market) is taken as it is: a merge would add a hop to every message of it.
    yield* (
      consumed.length === 1 ? consumed[0]! : Stream.mergeAll(consumed, { concurrency: "unbounded" })
    ).pipe(
      (messages) =>
        quietBatches(messages, {
          max: o.batchSize,
          quietMs: Math.min(o.quietMs ?? 30, o.flushMs),
          maxWaitMs: o.flushMs,
        }),
      Stream.mapEffect((batch) =>
        Effect.uninterruptible(
          // Every row is in ClickHouse (or a refused one in dead_letters): only now may JetStream forget them.
          projectOrSplit(state, batch, (part) =>
            Effect.sync(() => {
              for (const m of part) m.ack()
            }),
          ),
        ),
      ),
      Stream.runDrain,
      // NATS away (restarting, not yet up): log it and take the consumer up again where it was.
      Effect.tapError((e) => Effect.logWarning(`projection: ${e.message}; reconnecting`)),
      Effect.retry(untilWritten),
    )
  }).pipe(Effect.withSpan("projection"))
