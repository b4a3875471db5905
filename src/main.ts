/** The `minutebar` command line: one entry point, a subcommand per part of the system. */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Effect, Exit, type Runtime } from "effect"
import { Command } from "effect/cli"

const allCommands = async () =>
  Promise.all([
    import("./cli/up-command.ts").then((m) => m.upCommand),
    import("./cli/relay-command.ts").then((m) => m.relayCommand),
    import("./cli/project-command.ts").then((m) => m.projectCommand),
    import("./cli/migrate-command.ts").then((m) => m.migrateCommand),
    import("./cli/rebuild-command.ts").then((m) => m.rebuildCommand),
    import("./cli/bars-command.ts").then((m) => m.barsCommand),
    import("./cli/adapter-command.ts").then((m) => m.adapterCommand),
    import("./cli/backfill-command.ts").then((m) => m.backfillCommand),
    import("./cli/subscribe-command.ts").then((m) => m.subscribeCommand),
    import("./cli/clients-command.ts").then((m) => m.clientsCommand),
    import("./cli/replay-command.ts").then((m) => m.replayCommand),
  ])

// The adapter runs for weeks beside QMT on the Windows machine, where its memory is counted: it loads only its
// own command, not the rest of the CLI (HTTP, NATS and ClickHouse clients: ~30 MB of RSS).
const subcommands =
  process.argv[2] === "adapter"
    ? [(await import("./cli/adapter-command.ts")).adapterCommand]
    : await allCommands()

const minutebar = Command.make("minutebar").pipe(
  Command.withDescription(
    "Real-time 1-minute bars for the whole A-share market: QMT -> Redis -> NATS JetStream -> ClickHouse -> API",
  ),
  Command.withSubcommands(subcommands),
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

// A closed terminal (SIGHUP) stops minutebar as Ctrl-C does: by default it would end the process at once and
// leave the embedded servers, which run in process groups of their own, behind.
process.once("SIGHUP", () => process.kill(process.pid, "SIGTERM"))

minutebar.pipe(Command.run({ version: "0.1.0" }), Effect.provide(NodeServices.layer), (program) =>
  NodeRuntime.runMain(program, { teardown, disableErrorReporting: true }),
)
