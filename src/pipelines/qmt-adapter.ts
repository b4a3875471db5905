/**
 * The QMT adapter, composed: the supervised bridge's lines -> bars and reference data (synchronously, as they
 * arrive) -> journal (outbox + state, group commit) -> sender -> Redis stream. Reads like tick.q: a source, a
 * pure transform, a durable log, a sink; recovery first, and a stop that commits and drains before it closes.
 */
import { Effect, Fiber } from "effect"
import type { BridgeCommand } from "../adapters/qmt/bridge-process.ts"
import { BridgeActivity, superviseBridge } from "../adapters/qmt/bridge-supervisor.ts"
import { StreamWriter } from "../adapters/redis/stream-writer.ts"
import { AdapterJournal } from "./adapter-journal.ts"
import { recoverAdapter } from "./adapter-recovery.ts"
import { BridgeLinesToEvents, type MarketEvent } from "./bridge-lines-to-events.ts"
import { DeadLetterLog } from "./dead-letter-log.ts"
import { OutboxSender } from "./outbox-sender.ts"

export interface QmtAdapterOptions {
  readonly stateDir: string
  readonly graceMs: number
  readonly bridge: BridgeCommand
  readonly stallMs: number
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number; readonly resetAfterMs: number }
  readonly statusEveryMs?: number
  /** How long a stop waits for Redis to take what is still in the outbox. */
  readonly drainOnStopMs?: number
  readonly log: (line: string) => void
}

const megabytes = (bytes: number): number => Math.round(bytes / 1_048_576)

const recover = (o: QmtAdapterOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise(() => recoverAdapter(o.stateDir, o.graceMs)),
    (r) => Effect.promise(() => r.outbox.close()),
  )

interface Parts {
  readonly lines: BridgeLinesToEvents
  readonly journal: AdapterJournal
  readonly sender: OutboxSender
  readonly writer: StreamWriter["Service"]
}

const statusLine = ({ lines, journal, sender, writer }: Parts): string => {
  const c = lines.counts
  const redis = writer.lastError()
  const memory = process.memoryUsage()
  return (
    `adapter: ${c.ticks} ticks (${c.replayed} replayed), ${c.bars} bars, ${c.refs} refs, ${c.bad} bad lines; ` +
    `${journal.commits} commits; ${sender.backlog()} events to send; ` +
    `redis ${redis === undefined ? "ok" : `down (${redis})`}; ` +
    `memory ${megabytes(memory.rss)} MB (heap ${megabytes(memory.heapUsed)} MB)`
  )
}

// At a stop, while the sender still runs: commit what is pending and the latest state, then let Redis take
// what it can in `drainMs`.
const stop = (parts: Parts, o: QmtAdapterOptions) =>
  Effect.gen(function* () {
    yield* parts.journal.flush.pipe(
      Effect.catch((e) => Effect.sync(() => o.log(`adapter: last commit failed: ${e}`))),
    )
    if (!(yield* parts.sender.drained(o.drainOnStopMs ?? 5_000)))
      o.log(`adapter: stopping with ${parts.sender.backlog()} events in the outbox; they go first next time`)
    o.log(statusLine(parts))
  })

// The recovered state, wired: bridge lines -> events -> journal -> sender.
const assemble = (o: QmtAdapterOptions, activity: BridgeActivity) =>
  Effect.gen(function* () {
    const writer = yield* StreamWriter
    const { builder, gate, outbox, sentFrom, summary } = yield* recover(o)
    o.log(`adapter: ${summary}; sending to ${writer.target} stream ${writer.stream}`)
    const sender = new OutboxSender(outbox, sentFrom, { log: o.log })
    const dead = yield* Effect.acquireRelease(
      Effect.sync(() => new DeadLetterLog({ dir: o.stateDir, log: o.log })),
      (d) => Effect.promise(() => d.close()),
    )
    const journal = new AdapterJournal(o.stateDir, outbox, sender, () => ({
      lastTicksJson: JSON.stringify(gate),
      builderJson: JSON.stringify(builder.snapshot()),
    }))
    const lines = new BridgeLinesToEvents(builder, gate, {
      bad: (line, reason) => dead.add(line, reason),
      tick: () => activity.tick(),
      heartbeat: (marketMs) => activity.heartbeat(marketMs),
    })
    return { lines, journal, sender, writer } satisfies Parts
  })

export const runQmtAdapter = (o: QmtAdapterOptions) =>
  Effect.gen(function* () {
    const activity = new BridgeActivity()
    const parts = yield* assemble(o, activity)
    const events: MarketEvent[] = []
    const onLines = (batch: ReadonlyArray<string>) => {
      parts.lines.accept(batch, events)
      if (events.length > 0) parts.journal.add(events.splice(0))
    }
    const sending = yield* Effect.forkScoped(parts.sender.run)
    // Finalizers run in reverse: this one runs before the sender is stopped.
    yield* Effect.addFinalizer(() => stop(parts, o))
    yield* Effect.forkScoped(
      Effect.sleep(o.statusEveryMs ?? 60_000).pipe(
        Effect.andThen(Effect.sync(() => o.log(statusLine(parts)))),
        Effect.forever,
      ),
    )
    const bridge = superviseBridge({
      command: o.bridge,
      stallMs: o.stallMs,
      ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
      onLines,
      log: o.log,
      activity,
    })
    // Runs until stopped; a failed commit or a broken outbox ends the adapter (the service manager restarts it
    // and recovery takes over) instead of running on without durability.
    return yield* Effect.raceFirst(bridge, Effect.raceFirst(parts.journal.run, Fiber.join(sending)))
  }).pipe(Effect.scoped)
