/**
 * Reads the outbox back in seq order, for a sender that fell behind (Redis was away, or the process restarted):
 * the entries of a seq range, a bounded batch at a time.
 *
 * State: where the next entry is (its seq, segment and byte offset), so sequential reads do not rescan a segment.
 * Invariant: never returns an entry at or beyond the range's end, nor beyond `outbox.end` (not yet on disk).
 */
import { type Outbox, OutboxCorrupt, type OutboxEntry } from "./outbox.ts"
import { parseEntry, readLines } from "./outbox-files.ts"

interface Position {
  readonly seq: number
  readonly segment: number
  readonly offset: number
}

export class OutboxReader {
  private readonly outbox: Outbox
  private position: Position | undefined

  constructor(outbox: Outbox) {
    this.outbox = outbox
  }

  /** The entries [from, until) in order, or a first part of them (up to a segment's end); [] when empty. */
  async read(from: number, until: number): Promise<OutboxEntry[]> {
    const end = Math.min(until, this.outbox.end)
    if (from >= end) return []
    const segments = this.outbox.segmentList()
    const index = segments.findLastIndex((s) => s <= from)
    if (index < 0) throw new OutboxCorrupt(`outbox entry ${from} was deleted before it was sent`)
    const segment = segments[index]!
    const next = segments[index + 1] ?? Number.POSITIVE_INFINITY
    const cached = this.position?.seq === from && this.position.segment === segment ? this.position.offset : 0
    const limit = Math.min(end, next)
    const out: OutboxEntry[] = []
    let seq = cached === 0 ? segment : from
    for await (const batch of readLines(this.outbox.path(segment), cached)) {
      for (const line of batch) {
        if (seq >= from) {
          const entry = parseEntry(line.text)
          if (entry?.seq !== seq)
            throw new OutboxCorrupt(`outbox segment ${segment}: entry ${seq} is unreadable`)
          out.push(entry)
          this.position = { seq: seq + 1, segment, offset: line.end }
        }
        seq++
        if (seq >= limit) return out
      }
    }
    if (out.length === 0) throw new OutboxCorrupt(`outbox segment ${segment} ends before entry ${from}`)
    return out
  }
}
