/**
 * Backfill: QMT's 1m history, asked of the bridge (`bridge.py history`), -> the bars a live day has (see
 * history-bars.ts) -> an outbox and sender of its own (so it can run beside the live adapter) -> the same Redis
 * stream. Same bar ids as live, so a backfilled day and a live day are indistinguishable downstream and a
 * re-run is a no-op. Finishes when Redis has confirmed everything.
 */
import { join } from "node:path"
import { Data, Effect, Result } from "effect"
import { parseBridgeLine, type QmtMinuteBar } from "../adapters/qmt/bridge-line.ts"
import { type BridgeCommand, type BridgeExit, startBridge } from "../adapters/qmt/bridge-process.ts"
import { historyDay } from "../adapters/qmt/history-bars.ts"
import { formatDay } from "../domain/market-time.ts"
import type { MarketEvent } from "./bridge-lines-to-events.ts"
import { DeadLetterLog } from "./dead-letter-log.ts"
import { Outbox } from "./outbox.ts"
import { loadSentCursor, OutboxSender } from "./outbox-sender.ts"

export interface BackfillOptions {
  /** The backfill's own directory (outbox, dead letters), apart from the live adapter's. */
  readonly dir: string
  readonly bridge: BridgeCommand
  readonly log: (line: string) => void
}

export class BackfillFailed extends Data.TaggedError("BackfillFailed")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/** Groups QMT bars (in the bridge's order: symbol by symbol, in time) into days and folds each. */
export const makeHistoryDays = (emit: (events: MarketEvent[]) => void) => {
  let group: QmtMinuteBar[] = []
  let key = ""
  let bars = 0
  const flush = () => {
    const day = historyDay(group)
    bars += day.bars.length
    emit(day.bars.map((b) => ({ type: "bar", data: JSON.stringify(b) })))
    group = []
  }
  return {
    push: (bar: QmtMinuteBar) => {
      const k = `${bar.symbol} ${formatDay(bar.time)}`
      if (k !== key && group.length > 0) flush()
      key = k
      group.push(bar)
    },
    finish: (): number => {
      if (group.length > 0) flush()
      return bars
    },
  }
}

const runBridgeOnce = (
  command: BridgeCommand,
  onLines: (lines: ReadonlyArray<string>) => void,
  log: (l: string) => void,
) =>
  Effect.callback<BridgeExit>((resume) => {
    const bridge = startBridge(command, {
      onLines,
      onLog: log,
      onOverlong: (n) => log(`skipped a ${n}-character line`),
    })
    void bridge.exited.then((exit) => resume(Effect.succeed(exit)))
    return Effect.sync(() => bridge.kill("SIGKILL"))
  })

const openOutbox = (o: BackfillOptions) =>
  Effect.gen(function* () {
    const outbox = yield* Effect.acquireRelease(
      Effect.tryPromise(() => Outbox.open(join(o.dir, "outbox"), { emptyEnd: 0 })),
      (ob) => Effect.promise(() => ob.close()),
    )
    const sender = new OutboxSender(outbox, yield* Effect.promise(() => loadSentCursor(outbox)), {
      log: o.log,
    })
    yield* Effect.forkScoped(sender.run)
    return { outbox, sender }
  })

// Bridge lines -> history bars grouped into days; anything else is a dead letter.
const historyLines = (days: ReturnType<typeof makeHistoryDays>, dead: DeadLetterLog) => {
  const state = { done: false }
  const onLines = (lines: ReadonlyArray<string>) => {
    for (const text of lines) {
      const parsed = parseBridgeLine(text)
      if (Result.isFailure(parsed)) dead.add(text, parsed.failure)
      else if (parsed.success._tag === "HistoryBar") days.push(parsed.success.bar)
      else if (parsed.success._tag === "Done") state.done = true
      else dead.add(text, `unexpected ${parsed.success._tag} line from a history bridge`)
    }
  }
  return { onLines, state }
}

export const runBackfill = (o: BackfillOptions) =>
  Effect.gen(function* () {
    const { outbox, sender } = yield* openOutbox(o)
    const dead = yield* Effect.acquireRelease(
      Effect.sync(() => new DeadLetterLog({ dir: o.dir, log: o.log })),
      (d) => Effect.promise(() => d.close()),
    )
    // Appends one at a time, in order; the sender takes each batch once it is on disk.
    let appends: Promise<void> = Promise.resolve()
    const days = makeHistoryDays((events) => {
      appends = appends.then(async () => sender.offer(await outbox.append(events), events))
    })
    const { onLines, state } = historyLines(days, dead)
    const exit = yield* runBridgeOnce(o.bridge, onLines, o.log)
    const bars = days.finish()
    yield* Effect.tryPromise(() => appends)
    o.log(
      `backfill: ${bars} bars in ${outbox.dir}; ${dead.count} bad lines; sending ${sender.backlog()} events`,
    )
    while (!(yield* sender.drained(10_000)))
      o.log(`backfill: waiting for redis, ${sender.backlog()} events to send`)
    if (!state.done || exit.code !== 0) {
      const how = exit.error?.message ?? `exited with ${exit.signal ?? exit.code}`
      return yield* new BackfillFailed({
        reason: `the bridge ${how} before it finished; the bars it gave were sent, re-run to complete`,
      })
    }
    return { bars, bad: dead.count }
  }).pipe(Effect.scoped)
