/**
 * `minutebar adapter`: the QMT adapter, run on the Windows machine next to a logged-in QMT terminal. Flags
 * override the settings of the same meaning (QMT_PYTHON, QMT_BRIDGE, QMT_STALL_MS, QMT_INCLUDE_BJ,
 * ADAPTER_STATE_DIR); REDIS_URL says where the events go.
 */
import { fileURLToPath } from "node:url"
import { Effect, Option, Redacted } from "effect"
import { Command, Flag } from "effect/cli"
import { StreamWriter } from "../adapters/redis/stream-writer.ts"
import { loadSettings } from "../config/config-provider.ts"
import type { Settings } from "../config/settings.ts"
import { runQmtAdapter } from "../pipelines/qmt-adapter.ts"

/** The bridge shipped with the adapter. */
export const defaultBridgeScript = (): string =>
  fileURLToPath(new URL("../adapters/qmt/bridge.py", import.meta.url))

/** REDIS_URL, else the private Redis `minutebar up` runs on this machine. */
export const adapterRedisUrl = (s: Settings): Redacted.Redacted<string> =>
  Option.getOrElse(s.redisUrl, () => Redacted.make(`redis://127.0.0.1:${s.embeddedRedisPort}`))

export const adapterStateDir = (s: Settings, flag: Option.Option<string>): string =>
  Option.getOrElse(
    Option.orElse(flag, () => s.adapterStateDir),
    () => `${s.dataDir}/adapter`,
  )

/** Timestamped lines on stderr: what a Windows service manager (NSSM) captures to its log file. */
export const logLine = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`)
}

const flags = {
  python: Flag.String("python").pipe(
    Flag.withDescription(
      "Python with xtquant installed (QMT_PYTHON; default python on Windows, python3 elsewhere)",
    ),
    Flag.optional,
  ),
  bridge: Flag.String("bridge").pipe(
    Flag.withDescription("The bridge script (QMT_BRIDGE; default the adapter's src/adapters/qmt/bridge.py)"),
    Flag.optional,
  ),
  stateDir: Flag.String("state-dir").pipe(
    Flag.withDescription(
      "Builder state, outbox and dead letters (ADAPTER_STATE_DIR; default $DATA_DIR/adapter). One adapter per directory",
    ),
    Flag.optional,
  ),
  stallMs: Flag.Int("stall-ms").pipe(
    Flag.withDescription(
      "Restart the bridge after this long without a tick in trading hours (QMT_STALL_MS; 60000)",
    ),
    Flag.optional,
  ),
  includeBj: Flag.Boolean("include-bj").pipe(
    Flag.withDescription("Also subscribe to Beijing Stock Exchange symbols (QMT_INCLUDE_BJ)"),
    Flag.withDefault(false),
  ),
}

export const adapterCommand = Command.make("adapter", flags, (f) =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const includeBj = f.includeBj || s.qmtIncludeBj
    const run = runQmtAdapter({
      stateDir: adapterStateDir(s, f.stateDir),
      graceMs: s.barGraceMs,
      stallMs: Option.getOrElse(f.stallMs, () => s.qmtStallMs),
      statusEveryMs: s.adapterStatusEveryMs,
      bridge: {
        python: Option.getOrElse(f.python, () => s.qmtPython),
        script: Option.getOrElse(
          Option.orElse(f.bridge, () => s.qmtBridge),
          defaultBridgeScript,
        ),
        args: includeBj ? ["live", "--include-bj"] : ["live"],
      },
      log: logLine,
    })
    return yield* run.pipe(
      Effect.provide(StreamWriter.layer({ url: adapterRedisUrl(s), stream: s.redisStream })),
    )
  }),
).pipe(
  Command.withDescription(
    "Run the QMT adapter (on Windows, next to a logged-in QMT): the xtquant bridge (restarted with backoff, and when " +
      "no tick arrives for QMT_STALL_MS in trading hours) -> 1m bars and reference data -> a local durable outbox -> " +
      "the Redis stream at REDIS_URL (rediss://:PASSWORD@REDIS_HOST:6380/0; default the private Redis of `minutebar up`). " +
      "Nothing is lost while Redis or the network is away; a restart resumes exactly from ADAPTER_STATE_DIR",
  ),
)
