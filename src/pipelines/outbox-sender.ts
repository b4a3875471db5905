/**
 * Sends the outbox to the Redis stream in seq order, each event at least once (the log's message ids make a
 * resend a no-op): from memory while Redis keeps up, from the segment files after it fell behind (an outage, a
 * restart). While Redis is away it retries with backoff and reports the outage once; nothing upstream waits.
 *
 * State: `next`, the seq of the next event to send; `end`, the end of the events offered (committed: on disk with
 * the state that made them); `queue`, an in-memory copy of the entries [next, end) while not `behind`;
 * `behind`, set when the queue would pass its cap or an offer does not follow on.
 * Invariants:
 * - only committed events are sent (never entries the outbox holds beyond `end`: their state may be unsaved);
 * - events leave in seq order, and `next` advances only after Redis confirmed the whole XADD pipeline;
 * - `queue.length <= cap`: memory is bounded however long Redis is away (the files hold the rest);
 * - `next` is written to the `sent` file after each confirmed batch (not fsynced: a stale one only resends).
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Latch, Result } from "effect"
import { StreamWriter } from "../adapters/redis/stream-writer.ts"
import type { Outbox, OutboxEntry, OutboxEvent } from "./outbox.ts"
import { writeFileAtomic } from "./outbox-files.ts"
import { OutboxReader } from "./outbox-reader.ts"

export interface OutboxSenderOptions {
  /** Entries kept in memory at most (default 50,000). */
  readonly cap?: number
  /** XADDs per pipeline round trip (default 1,000). */
  readonly chunk?: number
  readonly log: (line: string) => void
}

const SENT_FILE = "sent"

/** Where sending resumes after a restart: the saved cursor, within what the outbox still holds. */
export const loadSentCursor = async (outbox: Outbox): Promise<number> => {
  const text = await readFile(join(outbox.dir, SENT_FILE), "utf8").catch(() => "")
  const saved = Number.parseInt(text, 10)
  return Math.min(outbox.end, Math.max(outbox.start, Number.isSafeInteger(saved) ? saved : 0))
}

export class OutboxSender {
  private readonly outbox: Outbox
  private readonly reader: OutboxReader
  private readonly wake = Latch.makeUnsafe(false)
  private readonly cap: number
  private readonly chunk: number
  private readonly log: (line: string) => void
  private queue: OutboxEntry[] = []
  private behind = true
  private nextSeq: number
  private end: number

  /** Sends the outbox's entries from `next`; all of them are committed (recovery cut the others). */
  constructor(outbox: Outbox, next: number, options: OutboxSenderOptions) {
    this.outbox = outbox
    this.reader = new OutboxReader(outbox)
    this.nextSeq = next
    this.end = outbox.end
    this.cap = options.cap ?? 50_000
    this.chunk = options.chunk ?? 1_000
    this.log = options.log
  }

  /** The seq of the next event to send. */
  get next(): number {
    return this.nextSeq
  }

  /** Committed events not yet confirmed by Redis. */
  backlog(): number {
    return this.end - this.nextSeq
  }

  /** Entries held in memory (at most the cap). */
  queued(): number {
    return this.queue.length
  }

  /** Hands over events just committed to the outbox (seqs `first`...); never blocks. */
  offer(first: number, events: ReadonlyArray<OutboxEvent>): void {
    this.end = Math.max(this.end, first + events.length)
    if (!this.behind) {
      const follows = first === this.nextSeq + this.queue.length
      if (follows && this.queue.length + events.length <= this.cap) {
        for (let i = 0; i < events.length; i++) this.queue.push({ seq: first + i, ...events[i]! })
      } else {
        this.behind = true
        this.queue = []
      }
    }
    this.wake.openUnsafe()
  }

  // The next batch to send, from memory or from the files; waits while there is none.
  private take = Effect.gen({ self: this }, function* () {
    while (true) {
      this.wake.closeUnsafe()
      if (this.behind && this.nextSeq === this.end) this.behind = false
      if (this.nextSeq < this.end) break
      yield* this.wake.await
    }
    if (!this.behind) return this.queue.slice(0, this.chunk)
    const [seq, end] = [this.nextSeq, this.end]
    return yield* Effect.promise(() => this.reader.read(seq, Math.min(end, seq + this.chunk)))
  })

  // XADD until Redis takes it; an outage is reported when it starts and when it ends.
  private send = (entries: ReadonlyArray<OutboxEntry>) =>
    Effect.gen({ self: this }, function* () {
      const writer = yield* StreamWriter
      for (let attempt = 0; ; attempt++) {
        const result = yield* Effect.result(writer.append(entries))
        if (Result.isSuccess(result)) {
          if (attempt > 0)
            this.log(`redis ${writer.target} is back; sending ${this.backlog()} waiting events`)
          return
        }
        if (attempt === 0)
          this.log(
            `redis ${writer.target} unreachable (${result.failure.message}); events wait in ${this.outbox.dir}`,
          )
        yield* Effect.sleep(Math.min(5_000, 200 * 2 ** attempt))
      }
    })

  private confirm = (entries: ReadonlyArray<OutboxEntry>) =>
    Effect.promise(async () => {
      this.nextSeq = entries.at(-1)!.seq + 1
      if (!this.behind) this.queue.splice(0, entries.length)
      await writeFileAtomic(join(this.outbox.dir, SENT_FILE), String(this.nextSeq), false)
      await this.outbox.release(this.nextSeq)
    })

  /** Sends forever; interrupt to stop (a batch in flight may be resent after a restart). */
  run = Effect.gen({ self: this }, function* () {
    while (true) {
      const entries = yield* this.take
      yield* this.send(entries)
      yield* this.confirm(entries)
    }
  })

  /** Waits until everything appended so far was sent, or `timeoutMs` passed; true when drained. */
  drained = (timeoutMs: number) =>
    Effect.gen({ self: this }, function* () {
      const deadline = Date.now() + timeoutMs
      while (this.backlog() > 0 && Date.now() < deadline) yield* Effect.sleep(50)
      return this.backlog() === 0
    })
}
