/**
 * Replay of a trading day for backtests: the day's final bars at 1m or resampled (5m, 30m, 60m, 1d), in
 * market order (frame, then symbol), paced by market time. Read from the JetStream log while it still holds
 * the day, else from ClickHouse; both keep the highest rev of each minute, so the output is the same.
 *
 * Pacing counts trading minutes only, the lunch break skipped: at speed 60 the 240-minute day takes 4 minutes
 * and 13:01 follows 11:30 after one market minute. A frame is released at its bucket's last minute.
 */
import { Clock, Effect, type Layer, Schema, Stream } from "effect"
import type { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import type { ClickHouseError } from "../adapters/clickhouse/clickhouse-error.ts"
import { NatsClient, natsCall } from "../adapters/nats/nats-client.ts"
import type { Period } from "../domain/period.ts"
import { SLOTS_PER_DAY } from "../domain/session-grid.ts"
import type { SymbolCode } from "../domain/symbol.ts"
import type { FrameGroup } from "./day-book.ts"
import { readDayFromClickHouse } from "./day-from-clickhouse.ts"
import { type DayReadOptions, logCoversDay, readDayFromLog } from "./day-from-log.ts"

export type ReplaySource = "auto" | "log" | "clickhouse"
/** Market minutes per wall minute, or as fast as the sink takes them. */
export type ReplaySpeed = "max" | number

export type ReplayProgress =
  | {
      readonly phase: "read"
      readonly source: "log" | "clickhouse"
      readonly done: number
      readonly total: number
    }
  | {
      readonly phase: "loaded"
      readonly source: "log" | "clickhouse"
      readonly bars: number
      readonly symbols: number
      readonly skipped: number
    }
  | { readonly phase: "emit"; readonly frame: string; readonly done: number; readonly total: number }

export interface ReplayOptions {
  /** `YYYY-MM-DD`. */
  readonly day: string
  /** Omitted or empty: every symbol. */
  readonly symbols?: ReadonlyArray<SymbolCode>
  readonly period: Period
  readonly speed: ReplaySpeed
  readonly source: ReplaySource
  /** Built only when the day is read from ClickHouse: embedded chDB allows one process per data path. */
  readonly clickhouse?: Layer.Layer<ClickHouse, ClickHouseError>
  readonly onProgress?: (p: ReplayProgress) => void
}

export class ReplayError extends Schema.TaggedError<ReplayError>()("ReplayError", { reason: Schema.String }) {
  override get message(): string {
    return this.reason
  }
}

// "auto": the log while its oldest message predates the day's session (nothing of the day aged out).
const chooseSource = Effect.fn(function* (o: ReplayOptions) {
  if (o.source !== "auto") return { source: o.source, why: "" }
  const { jsm, stream } = yield* NatsClient
  const { state } = yield* natsCall("stream info", () => jsm.streams.info(stream))
  return logCoversDay(state, o.day)
    ? { source: "log" as const, why: "" }
    : {
        source: "clickhouse" as const,
        why: `; the log's oldest message is from ${state.first_ts}, after ${o.day} 09:00`,
      }
})

const fromClickHouse = (o: ReplayOptions, read: DayReadOptions, why: string) =>
  o.clickhouse === undefined
    ? Effect.fail(new ReplayError({ reason: `no ClickHouse is configured to read ${o.day} from${why}` }))
    : readDayFromClickHouse(read).pipe(
        Effect.provide(o.clickhouse),
        // Chosen by "auto": say why, and that the log's part of the day is there for the asking.
        Effect.mapError((e) =>
          why === ""
            ? e
            : new ReplayError({ reason: `${e.message}${why} (--source log replays what it holds)` }),
        ),
      )

/** The day's bars, from the source `o.source` names or, for "auto", the one that holds the whole day. */
export const loadDay = Effect.fn("loadDay")(function* (o: ReplayOptions) {
  const { source, why } = yield* chooseSource(o)
  const read = {
    day: o.day,
    symbols: o.symbols ?? [],
    onProgress: (done: number, total: number) => o.onProgress?.({ phase: "read", source, done, total }),
  }
  const { book, skipped } =
    source === "log" ? yield* readDayFromLog(read) : yield* fromClickHouse(o, read, why)
  o.onProgress?.({ phase: "loaded", source, bars: book.size, symbols: book.symbolCount, skipped })
  return { source, book }
})

/** Wall milliseconds between the frames of `fromSlot` and `slot` at `speed` market minutes per minute. */
export const paceOffsetMs = (fromSlot: number, slot: number, speed: number): number =>
  ((slot - fromSlot) * 60_000) / speed

// Holds each frame back until its market time comes, counted from the first frame.
const pacer = (speed: ReplaySpeed) => {
  let start: { readonly at: number; readonly slot: number } | undefined
  return (g: FrameGroup) =>
    speed === "max"
      ? Effect.succeed(g)
      : Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          start ??= { at: now, slot: g.slot }
          const wait = start.at + paceOffsetMs(start.slot, g.slot, speed) - now
          if (wait > 0) yield* Effect.sleep(wait)
          return g
        })
}

/** The day's frames in market order, each released when its market time comes. */
export const replayFrames = (o: ReplayOptions) =>
  Stream.unwrap(
    Effect.map(loadDay(o), ({ book }) =>
      Stream.fromIterable(book.groups(o.period)).pipe(
        Stream.mapEffect(pacer(o.speed)),
        Stream.tap((g) =>
          Effect.sync(() =>
            o.onProgress?.({ phase: "emit", frame: g.frame, done: g.slot + 1, total: SLOTS_PER_DAY }),
          ),
        ),
      ),
    ),
  )

/** The day's bars one by one, in market order. */
export const replayBars = (o: ReplayOptions) =>
  replayFrames(o).pipe(
    Stream.map((g) => g.bars),
    Stream.flattenIterable,
  )
