/**
 * `minutebar backfill --from DATE --to DATE [--symbols A,B]`: QMT's 1m history through the bridge into the
 * Redis stream, as the bars live days have (same ids: re-running is a no-op downstream).
 */
import { join } from "node:path"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { StreamWriter } from "../adapters/redis/stream-writer.ts"
import { loadSettings } from "../config/config-provider.ts"
import { isSymbolCode } from "../domain/symbol.ts"
import { BackfillFailed, runBackfill } from "../pipelines/history-backfill.ts"
import { adapterRedisUrl, adapterStateDir, defaultBridgeScript, logLine } from "./adapter-command.ts"

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/

/** `2024-01-02` or `20240102` -> `20240102` (QMT's form), or undefined. */
export const qmtDate = (text: string): string | undefined => {
  const m = DATE.exec(text.trim())
  return m === null ? undefined : `${m[1]}${m[2]}${m[3]}`
}

const bridgeArgs = (from: string, to: string, symbols: Option.Option<string>, includeBj: boolean) =>
  Effect.gen(function* () {
    const [f, t] = [qmtDate(from), qmtDate(to)]
    if (f === undefined || t === undefined || f > t)
      return yield* new BackfillFailed({
        reason: "--from and --to must be dates YYYY-MM-DD with --from <= --to",
      })
    const list = Option.map(symbols, (s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== ""),
    )
    const bad = Option.getOrElse(list, () => []).filter((s) => !isSymbolCode(s))
    if (bad.length > 0)
      return yield* new BackfillFailed({ reason: `not symbols: ${bad.join(", ")} (like 600519.SH)` })
    return [
      "history",
      "--from",
      f,
      "--to",
      t,
      ...Option.match(list, { onNone: () => [], onSome: (l) => ["--symbols", l.join(",")] }),
      ...(includeBj ? ["--include-bj"] : []),
    ]
  })

const flags = {
  from: Flag.String("from").pipe(Flag.withDescription("First day, YYYY-MM-DD")),
  to: Flag.String("to").pipe(Flag.withDescription("Last day, YYYY-MM-DD (inclusive)")),
  symbols: Flag.String("symbols").pipe(
    Flag.withDescription("Comma-separated symbols like 600519.SH,000001.SZ (default: all A-shares)"),
    Flag.optional,
  ),
  python: Flag.String("python").pipe(Flag.withDescription("Python with xtquant (QMT_PYTHON)"), Flag.optional),
  bridge: Flag.String("bridge").pipe(Flag.withDescription("The bridge script (QMT_BRIDGE)"), Flag.optional),
  stateDir: Flag.String("state-dir").pipe(
    Flag.withDescription(
      "Adapter state directory (ADAPTER_STATE_DIR); the backfill uses its backfill/ subfolder",
    ),
    Flag.optional,
  ),
  includeBj: Flag.Boolean("include-bj").pipe(
    Flag.withDescription("With no --symbols: also Beijing Stock Exchange symbols (QMT_INCLUDE_BJ)"),
    Flag.withDefault(false),
  ),
}

export const backfillCommand = Command.make("backfill", flags, (f) =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const args = yield* bridgeArgs(f.from, f.to, f.symbols, f.includeBj || s.qmtIncludeBj)
    const result = yield* runBackfill({
      dir: join(adapterStateDir(s, f.stateDir), "backfill"),
      bridge: {
        python: Option.getOrElse(f.python, () => s.qmtPython),
        script: Option.getOrElse(
          Option.orElse(f.bridge, () => s.qmtBridge),
          defaultBridgeScript,
        ),
        args,
      },
      log: logLine,
    }).pipe(Effect.provide(StreamWriter.layer({ url: adapterRedisUrl(s), stream: s.redisStream })))
    yield* Console.log(`backfill done: ${result.bars} bars sent, ${result.bad} bad lines`)
  }),
).pipe(
  Command.withDescription(
    "Backfill 1m bars from QMT's history (download_history_data + get_market_data_ex through the bridge) into the " +
      "Redis stream at REDIS_URL, as live days have them: the same ids, so re-running is a no-op",
  ),
)
