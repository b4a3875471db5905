/**
 * Keeps the bridge running for months: restarts it when it exits (QMT disconnected, python crashed) with
 * exponential backoff, and kills and restarts it when no tick came for `stallMs` while the market should be
 * pushing (QMT alive but its feed stuck). Interrupting the supervisor kills the bridge.
 *
 * State (BridgeActivity): wall time of the last tick and of the bridge's start, and the offset of the bridge's
 * clock (its heartbeats) from the wall clock. Invariant: a run counts as stalled only when the market time by
 * the bridge's clock is in a session and neither a tick nor the start happened within `stallMs`.
 */
import { Effect } from "effect"
import { type BridgeCommand, type BridgeExit, startBridge } from "./bridge-process.ts"
import { expectsTicks } from "./trading-window.ts"

/** What the line handler tells the supervisor, on the hot path: plain field writes. */
export class BridgeActivity {
  lastTickWallMs = 0
  private offsetMs: number | undefined
  private readonly now: () => number

  constructor(now: () => number = Date.now) {
    this.now = now
  }

  tick(): void {
    this.lastTickWallMs = this.now()
  }

  heartbeat(marketMs: number | null): void {
    if (marketMs !== null) this.offsetMs = marketMs - this.now()
  }

  restarted(): void {
    this.lastTickWallMs = this.now()
    this.offsetMs = undefined
  }

  /** The market time by the bridge's clock (the wall clock until it sent one). */
  marketNow(): number {
    return this.now() + (this.offsetMs ?? 0)
  }

  silentFor(): number {
    return this.now() - this.lastTickWallMs
  }
}

export interface SupervisorOptions {
  readonly command: BridgeCommand
  readonly stallMs: number
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number; readonly resetAfterMs: number }
  readonly onLines: (lines: ReadonlyArray<string>) => void
  readonly log: (line: string) => void
  readonly activity: BridgeActivity
}

type RunEnd = { readonly _tag: "Exited"; readonly exit: BridgeExit } | { readonly _tag: "Stalled" }

const describeExit = (e: BridgeExit): string =>
  e.error !== undefined
    ? `could not start (${e.error.message})`
    : e.signal !== null
      ? `was killed by ${e.signal}`
      : `exited with code ${e.code}`

// One run: resolves when the bridge exits or stalls; on interruption (shutdown) it kills the bridge.
const runOnce = (o: SupervisorOptions) =>
  Effect.callback<RunEnd>((resume) => {
    const bridge = startBridge(o.command, {
      onLines: o.onLines,
      onLog: o.log,
      onOverlong: (n) => o.log(`bridge: skipped a line of more than ${n} characters`),
    })
    o.activity.restarted()
    o.log(
      `bridge started (pid ${bridge.pid ?? "?"}): ${o.command.python} ${o.command.script} ${o.command.args.join(" ")}`,
    )
    let stalled = false
    const watchdog = setInterval(
      () => {
        if (!expectsTicks(o.activity.marketNow()) || o.activity.silentFor() < o.stallMs) return
        stalled = true
        bridge.kill("SIGKILL")
      },
      Math.min(1_000, o.stallMs),
    )
    // Resuming only once the bridge is gone and its output read keeps two bridges' lines from interleaving.
    void bridge.exited.then((exit) => {
      clearInterval(watchdog)
      resume(Effect.succeed(stalled ? { _tag: "Stalled" } : { _tag: "Exited", exit }))
    })
    return Effect.sync(() => {
      clearInterval(watchdog)
      bridge.kill("SIGKILL")
    })
  })

/** Runs the bridge forever; never fails. */
export const superviseBridge = (o: SupervisorOptions): Effect.Effect<never> =>
  Effect.gen(function* () {
    const backoff = o.backoff ?? { baseMs: 1_000, maxMs: 60_000, resetAfterMs: 120_000 }
    let failures = 0
    while (true) {
      const started = Date.now()
      const end = yield* runOnce(o)
      // A bridge that ran a good while failed for a new reason: start over with a short delay.
      failures = Date.now() - started >= backoff.resetAfterMs ? 0 : failures + 1
      const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failures - 1))
      o.log(
        end._tag === "Stalled"
          ? `bridge: no tick for ${o.stallMs} ms in trading hours; killed it, restarting in ${delay} ms`
          : `bridge ${describeExit(end.exit)}; restarting in ${delay} ms`,
      )
      yield* Effect.sleep(delay)
    }
  })
