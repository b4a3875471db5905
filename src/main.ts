/** The `minutebar` command line: one entry point, a subcommand per part of the system. */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { barsCommand } from "./cli/bars-command.ts"
import { upCommand } from "./cli/up-command.ts"

const minutebar = Command.make("minutebar").pipe(
  Command.withDescription(
    "Real-time 1-minute bars for the whole A-share market: QMT -> Redis -> NATS JetStream -> ClickHouse -> API",
  ),
  Command.withSubcommands([upCommand, barsCommand]),
)

minutebar.pipe(Command.run({ version: "0.1.0" }), Effect.provide(NodeServices.layer), NodeRuntime.runMain)
