/**
 * `minutebar replay --date YYYY-MM-DD [--symbols ...] [--period 1m|5m|30m] [--speed max|1|10|60]
 * [--to-subject PREFIX] [--source auto|log|clickhouse]`: a day's final bars in market order (frame, then
 * symbol) as NDJSON on stdout, or published under `PREFIX.<period>.<EX>.<code>` for a backtest engine.
 * Progress goes to stderr. NATS_URL (default: the server of `minutebar up`); CLICKHOUSE_URL or CHDB_PATH
 * for days older than the log (embedded chDB: not while `minutebar up` holds it).
 */
import { Effect, Option, Result, Schema, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import { republishBars, SubjectPrefix } from "../adapters/nats/bar-republisher.ts"
import { NatsClient, natsUrlOrEmbedded } from "../adapters/nats/nats-client.ts"
import type { NatsError } from "../adapters/nats/nats-error.ts"
import { loadSettings } from "../config/config-provider.ts"
import { parseShanghai } from "../domain/market-time.ts"
import type { FrameGroup } from "../pipelines/day-book.ts"
import { ndjson, type StdoutUnwritable, writeStdout } from "../pipelines/ndjson-stdout.ts"
import { makeProgressBar } from "../pipelines/progress-bar.ts"
import { type ReplayOptions, type ReplayProgress, replayFrames } from "../pipelines/replay-day.ts"
import { parseSymbolList } from "../pipelines/symbol-list.ts"
import { clickhouseTarget } from "./system-layer.ts"

class BadFlag extends Error {
  override readonly name = "BadFlag"
}

const Day = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((s: string) =>
      /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(parseShanghai(s)) ? undefined : "expected YYYY-MM-DD",
    ),
  ),
)

const flags = {
  date: Flag.String("date").pipe(Flag.withSchema(Day), Flag.withDescription("The trading day, YYYY-MM-DD")),
  symbols: Flag.String("symbols").pipe(
    Flag.withDescription("Only these symbols, comma-separated (default: all)"),
    Flag.optional,
  ),
  period: Flag.Literals("period", ["1m", "5m", "30m", "60m", "1d"]).pipe(
    Flag.withDescription("1m, or resampled from the day's 1m bars by the session grid"),
    Flag.withDefault("1m"),
  ),
  speed: Flag.String("speed").pipe(
    Flag.withDescription(
      "max, or market minutes per minute (60: an hour of market in a minute; lunch skipped)",
    ),
    Flag.withDefault("max"),
  ),
  toSubject: Flag.String("to-subject").pipe(
    Flag.withSchema(SubjectPrefix),
    Flag.withDescription("Publish to PREFIX.<period>.<EX>.<code> on NATS instead of printing"),
    Flag.optional,
  ),
  source: Flag.Literals("source", ["auto", "log", "clickhouse"]).pipe(
    Flag.withDescription("auto: the JetStream log while it holds the whole day, else ClickHouse"),
    Flag.withDefault("auto"),
  ),
}

const parseSpeed = (text: string): number | "max" | undefined => {
  if (text === "max") return "max"
  const n = Number(text)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

const SOURCE_NAMES = { log: "the JetStream log", clickhouse: "ClickHouse" } as const

/** Two bars on stderr: reading the day, then emitting it frame by frame; `finish` closes the second. */
const progressReporter = (day: string) => {
  const reading = makeProgressBar(`reading ${day}`)
  const emitting = makeProgressBar(`replaying ${day}`)
  const onProgress = (p: ReplayProgress) => {
    if (p.phase === "read") reading.update(p.done, p.total, `from ${SOURCE_NAMES[p.source]}`)
    else if (p.phase === "emit") emitting.update(p.done, p.total, p.frame)
    else
      reading.finish(
        `${p.bars} bars of ${p.symbols} symbols from ${SOURCE_NAMES[p.source]}` +
          (p.skipped > 0 ? ` (${p.skipped} malformed or off-grid messages skipped)` : ""),
      )
  }
  return { onProgress, finish: (note: string) => Effect.sync(() => emitting.finish(note)) }
}

/**
 * Frames as NDJSON on stdout (a reader that went away, `| head`, ends the replay) or published under the
 * prefix; resolves to how many bars went out.
 */
const send = <E>(frames: Stream.Stream<FrameGroup, E, NatsClient>, toSubject: Option.Option<string>) => {
  let sent = 0
  const count = (n: number) => Effect.sync(() => (sent += n))
  const run: Effect.Effect<void, E | StdoutUnwritable | NatsError, NatsClient> = Option.match(toSubject, {
    onNone: () =>
      frames.pipe(
        Stream.mapEffect((g) =>
          Effect.tap(writeStdout(ndjson(g.bars)), (ok) => (ok ? count(g.bars.length) : Effect.void)),
        ),
        Stream.takeWhile(Boolean),
        Stream.runDrain,
      ),
    onSome: (prefix) =>
      frames.pipe(
        Stream.mapEffect((g) => Effect.andThen(republishBars(prefix, g.bars), count(g.bars.length))),
        Stream.runDrain,
      ),
  })
  return Effect.map(run, () => sent)
}

export const replayCommand = Command.make("replay", flags, (a) =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const symbols = parseSymbolList(Option.toArray(a.symbols))
    if (Result.isFailure(symbols)) return yield* Effect.fail(new BadFlag(`--symbols: ${symbols.failure}`))
    const speed = parseSpeed(a.speed)
    if (speed === undefined) return yield* Effect.fail(new BadFlag("--speed: expected max or a number > 0"))
    const progress = progressReporter(a.date)
    const options: ReplayOptions = {
      day: a.date,
      symbols: symbols.success,
      period: a.period,
      speed,
      source: a.source,
      clickhouse: ClickHouse.layer(clickhouseTarget(s)),
      onProgress: progress.onProgress,
    }
    const started = Date.now()
    const emitted = yield* send(replayFrames(options), a.toSubject).pipe(
      Effect.provide(
        NatsClient.layer({ url: natsUrlOrEmbedded(s), stream: s.natsStream, name: "minutebar-replay" }),
      ),
    )
    const where = Option.match(a.toSubject, { onNone: () => "", onSome: (p) => ` to ${p}.${a.period}.>` })
    yield* progress.finish(`done: ${emitted} ${a.period} bars${where} in ${Date.now() - started} ms`)
  }),
).pipe(
  Command.withDescription(
    "Replay a day's final bars in market order (frame, then symbol) as NDJSON or to NATS subjects, " +
      "paced by market time; from the JetStream log within its retention, else ClickHouse",
  ),
)
