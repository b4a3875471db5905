/** `minutebar bars ...`: bar synthesis and resampling on files (NDJSON in, NDJSON out). */
import { Console, Effect } from "effect"
import { Command } from "effect/cli"

export const barsCommand = Command.make("bars", {}, () => Console.log("see --help")).pipe(
  Command.withDescription(
    "Build 1m bars from QMT ticks and resample bars (files or stdin -> NDJSON on stdout)",
  ),
  Command.withSubcommands([]),
)
