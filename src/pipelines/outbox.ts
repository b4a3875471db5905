/**
 * The adapter's durable outbox: every market event, numbered in production order, is appended here (fsync)
 * before it may be sent, so neither a lost network, a stopped Redis nor a SIGKILL can lose one. A sender
 * (outbox-sender.ts) sends from it in order; fully sent segments are deleted.
 *
 * State: `segments`, the first seqs of the segment files; the open tail segment (handle, size); `end`, the
 * seq the next event gets.
 * Invariants:
 * - seqs are consecutive from the first segment's name to `end - 1`, and every entry below `end` is fsynced;
 * - only the tail segment is written, and it is never deleted (its name keeps `end` across restarts);
 * - appends are never concurrent (the journal is the one writer).
 */
import { type FileHandle, open, rm, truncate } from "node:fs/promises"
import { join } from "node:path"
import {
  formatEntry,
  listSegments,
  type OutboxEntry,
  parseEntry,
  readLines,
  segmentName,
  syncDirectory,
} from "./outbox-files.ts"

export interface OutboxEvent {
  readonly type: string
  readonly data: string
}

export class OutboxCorrupt extends Error {
  override readonly name = "OutboxCorrupt"
}

const DEFAULT_SEGMENT_BYTES = 64 << 20

// Complete lines of a segment and the byte offset after the `count`-th (or the last) one.
const scanSegment = async (path: string, first: number, count = Number.POSITIVE_INFINITY) => {
  let lines = 0
  let offset = 0
  let last: string | undefined
  for await (const batch of readLines(path, 0)) {
    for (const line of batch) {
      if (lines === count) return { lines, offset, last }
      lines++
      offset = line.end
      last = line.text
    }
  }
  if (last !== undefined && parseEntry(last)?.seq !== first + lines - 1)
    throw new OutboxCorrupt(`outbox segment ${path}: its last entry is not number ${first + lines - 1}`)
  return { lines, offset, last }
}

export class Outbox {
  readonly dir: string
  private segments: number[]
  private tail: FileHandle
  private tailSize: number
  private nextSeq: number
  private readonly segmentBytes: number

  private constructor(
    dir: string,
    segments: number[],
    tail: FileHandle,
    size: number,
    end: number,
    bytes: number,
  ) {
    this.dir = dir
    this.segments = segments
    this.tail = tail
    this.tailSize = size
    this.nextSeq = end
    this.segmentBytes = bytes
  }

  /** Opens `dir`, dropping a torn last line; an empty outbox starts at `emptyEnd` (e.g. the state's end). */
  static async open(dir: string, options: { emptyEnd: number; segmentBytes?: number }): Promise<Outbox> {
    const segments = await listSegments(dir)
    if (segments.length === 0) segments.push(options.emptyEnd)
    const first = segments.at(-1)!
    const path = join(dir, segmentName(first))
    await open(path, "a").then((h) => h.close())
    const { lines, offset } = await scanSegment(path, first)
    await truncate(path, offset)
    const handle = await open(path, "a")
    await syncDirectory(dir)
    return new Outbox(
      dir,
      segments,
      handle,
      offset,
      first + lines,
      options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    )
  }

  /** The seq the next event gets: entries below it are on disk. */
  get end(): number {
    return this.nextSeq
  }

  /** The first seq still on disk. */
  get start(): number {
    return this.segments[0]!
  }

  /** First seqs of the segment files, for readers. */
  segmentList(): ReadonlyArray<number> {
    return this.segments
  }

  path(first: number): string {
    return join(this.dir, segmentName(first))
  }

  /** Appends events in order and fsyncs; resolves with the first one's seq. */
  async append(events: ReadonlyArray<OutboxEvent>): Promise<number> {
    const first = this.nextSeq
    if (events.length === 0) return first
    if (this.tailSize >= this.segmentBytes) await this.rotate()
    let text = ""
    for (let i = 0; i < events.length; i++) text += formatEntry(first + i, events[i]!.type, events[i]!.data)
    const bytes = Buffer.from(text, "utf8")
    await this.tail.write(bytes, 0, bytes.length)
    await this.tail.datasync()
    this.tailSize += bytes.length
    this.nextSeq = first + events.length
    return first
  }

  private async rotate(): Promise<void> {
    await this.tail.close()
    this.segments.push(this.nextSeq)
    this.tail = await open(this.path(this.nextSeq), "a")
    this.tailSize = 0
    await syncDirectory(this.dir)
  }

  /** Drops entries from `end` on (recovery: events whose state was never saved, so never sent). */
  async truncateTo(end: number): Promise<void> {
    if (end >= this.nextSeq) return
    if (end < this.start)
      throw new OutboxCorrupt(`cannot cut the outbox at ${end}: it starts at ${this.start}`)
    const keep = this.segments.filter((s) => s <= end)
    for (const s of this.segments.filter((s) => s > end)) await rm(this.path(s), { force: true })
    const first = keep.at(-1)!
    const { offset } = await scanSegment(this.path(first), first, end - first)
    await this.tail.close()
    await truncate(this.path(first), offset)
    this.tail = await open(this.path(first), "a")
    this.segments = keep
    this.tailSize = offset
    this.nextSeq = end
    await syncDirectory(this.dir)
  }

  /** Deletes the segments all of whose entries are below `sentEnd` (never the tail). */
  async release(sentEnd: number): Promise<void> {
    while (this.segments.length > 1 && this.segments[1]! <= sentEnd) {
      await rm(this.path(this.segments[0]!), { force: true })
      this.segments.shift()
    }
  }

  async close(): Promise<void> {
    await this.tail.close()
  }
}

export type { OutboxEntry }
