/** The `minutebar` command line: one entry point, a subcommand per part of the system. */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Effect, Exit, type Runtime } from "effect"
import { Command } from "effect/cli"
import { adapterCommand } from "./cli/adapter-command.ts"
import { backfillCommand } from "./cli/backfill-command.ts"
import { barsCommand } from "./cli/bars-command.ts"
import { clientsCommand } from "./cli/clients-command.ts"
import { migrateCommand } from "./cli/migrate-command.ts"
import { projectCommand } from "./cli/project-command.ts"
import { rebuildCommand } from "./cli/rebuild-command.ts"
import { relayCommand } from "./cli/relay-command.ts"
import { replayCommand } from "./cli/replay-command.ts"
import { subscribeCommand } from "./cli/subscribe-command.ts"
import { upCommand } from "./cli/up-command.ts"

const minutebar = Command.make("minutebar").pipe(
  Command.withDescription(
    "Real-time 1-minute bars for the whole A-share market: QMT -> Redis -> NATS JetStream -> ClickHouse -> API",
  ),
  Command.withSubcommands([
    upCommand,
    relayCommand,
    projectCommand,
    migrateCommand,
    rebuildCommand,
    barsCommand,
    adapterCommand,
    backfillCommand,
    subscribeCommand,
    clientsCommand,
    replayCommand,
  ]),
)

// SIGINT/SIGTERM interrupt the program; a stop that was asked for and went cleanly exits 0. A failure is
// told to the user as one line (no stack trace); the details are for --log-level debug.
const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return onExit(0)
  const error = Cause.squash(exit.cause)
  // effect/cli already printed the help and the parse error.
  if ((error as { _tag?: string })._tag === "ShowHelp") return onExit(2)
  console.error(`minutebar: ${error instanceof Error ? error.message : String(error)}`)
  onExit(1)
}

minutebar.pipe(Command.run({ version: "0.1.0" }), Effect.provide(NodeServices.layer), (program) =>
  NodeRuntime.runMain(program, { teardown, disableErrorReporting: true }),
)
