/**
 * `minutebar bars ...`: bar synthesis and resampling on files (NDJSON in, NDJSON out).
 *
 * Output is one bar per line, `{"symbol","frame","open","high","low","close","vol","amount"}` in that key
 * order, sorted by symbol then frame. Numbers are plain JSON numbers: prices are copied from the input (only
 * ever selected, never computed, so no float noise), amounts are rounded to the cent and volumes to 1/100
 * share when bars are made (see src/domain/bar-rounding.ts). Bad input lines go to stderr as
 * `file:line: reason` and are skipped; the exit code is 0 unless the input cannot be read.
 */
import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { Bar } from "../domain/bar.ts"
import { makeTickBatch } from "../domain/bars-from-ticks.ts"
import { resample } from "../domain/resample.ts"
import { Tick } from "../domain/tick.ts"
import { decodeNdjson, reportBadLine, sourceName, writeNdjson } from "./ndjson-lines.ts"

const file = Argument.String("file").pipe(
  Argument.withDescription("NDJSON input file (default: stdin)"),
  Argument.optional,
)

const fromTicks = Command.make("from-ticks", { file }, ({ file }) =>
  Effect.gen(function* () {
    const path = Option.getOrUndefined(file)
    const source = sourceName(path)
    const batch = makeTickBatch()
    yield* decodeNdjson(Tick, path, {
      onValue: (tick, line) => {
        const rejected = batch.push(tick)
        if (rejected !== undefined) reportBadLine(source, { line, reason: rejected })
      },
      onBad: (bad) => reportBadLine(source, bad),
    })
    yield* writeNdjson(batch.finish())
  }),
).pipe(
  Command.withDescription(
    "1m bars from QMT tick NDJSON (symbols may be interleaved, each in time order): 240 bars per symbol and day traded",
  ),
)

const period = Flag.Literals("period", ["5m", "30m", "60m", "1d"]).pipe(
  Flag.withDescription("Target period; 1d bars are framed YYYY-MM-DD"),
)

const resampleCommand = Command.make("resample", { period, file }, ({ period, file }) =>
  Effect.gen(function* () {
    const path = Option.getOrUndefined(file)
    const bars: Bar[] = []
    yield* decodeNdjson(Bar, path, {
      onValue: (bar) => bars.push(bar),
      onBad: (bad) => reportBadLine(sourceName(path), bad),
    })
    yield* writeNdjson(resample(bars, period))
  }),
).pipe(Command.withDescription("Resample 1m bar NDJSON into 5m, 30m, 60m or daily bars on the session grid"))

export const barsCommand = Command.make("bars").pipe(
  Command.withDescription(
    "Build 1m bars from QMT ticks and resample bars (files or stdin -> NDJSON on stdout)",
  ),
  Command.withSubcommands([fromTicks, resampleCommand]),
)
