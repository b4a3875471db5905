/**
 * Commits the adapter's progress, one commit at a time: the events made since the last commit are appended to
 * the outbox (fsync), then the state that made them is saved (state.json), and only then are they handed to
 * the sender. Events made while a commit runs wait for the next one (group commit), so the line handler never
 * waits for the disk and QMT's pushes keep being read.
 *
 * State: `pending` events, and the chain of commits (`busy`) that keeps them one at a time.
 * Invariant: an event reaches the sender only when it and a state at least as new as the one that made it are
 * on disk (see adapter-state.ts for why that makes a restart exact).
 */
import { Effect, Latch } from "effect"
import { saveAdapterState, stateJson } from "./adapter-state.ts"
import type { MarketEvent } from "./bridge-lines-to-events.ts"
import type { Outbox } from "./outbox.ts"
import type { OutboxSender } from "./outbox-sender.ts"

export interface CapturedState {
  readonly lastTicksJson: string
  readonly builderJson: string
}

export class AdapterJournal {
  commits = 0
  private pending: MarketEvent[] = []
  private busy: Promise<void> = Promise.resolve()
  private readonly wake = Latch.makeUnsafe(false)
  private readonly dir: string
  private readonly outbox: Outbox
  private readonly sender: OutboxSender
  private readonly capture: () => CapturedState

  constructor(dir: string, outbox: Outbox, sender: OutboxSender, capture: () => CapturedState) {
    this.dir = dir
    this.outbox = outbox
    this.sender = sender
    this.capture = capture
  }

  /** Queues events for the next commit; never blocks. */
  add(events: ReadonlyArray<MarketEvent>): void {
    for (const e of events) this.pending.push(e)
    this.wake.openUnsafe()
  }

  // The batch and the state are taken in the same synchronous step, so the state is exactly the one that
  // made the batch (and everything before it).
  private commit(force: boolean): Promise<void> {
    this.busy = this.busy.then(async () => {
      if (this.pending.length === 0 && !force) return
      const batch = this.pending
      this.pending = []
      const { lastTicksJson, builderJson } = this.capture()
      const json = stateJson(this.outbox.end + batch.length, lastTicksJson, builderJson)
      const first = await this.outbox.append(batch)
      await saveAdapterState(this.dir, json)
      this.commits++
      this.sender.offer(first, batch)
    })
    return this.busy
  }

  /** Commits whenever events are pending; a failed commit (disk full...) fails the adapter, which restarts. */
  run = Effect.gen({ self: this }, function* () {
    while (true) {
      yield* this.wake.await
      this.wake.closeUnsafe()
      yield* Effect.uninterruptible(Effect.tryPromise(() => this.commit(false)))
    }
  })

  /** Commits what is pending and saves the latest state even without events (at shutdown). */
  flush = Effect.tryPromise(() => this.commit(true))
}
