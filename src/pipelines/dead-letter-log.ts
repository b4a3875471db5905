/**
 * Where the adapter's bad input goes: every rejected bridge line, with its reason and time, to a local NDJSON
 * file (rotated at a size limit), and to the log, at most `burst` lines a minute so a flood of garbage cannot
 * drown the log; the count of the ones not shown is reported once the minute is over.
 *
 * State: the count, the open file and its size, the log window. Invariant: every bad line is counted and filed.
 */
import { createWriteStream, renameSync, statSync, type WriteStream } from "node:fs"
import { join } from "node:path"

export interface DeadLetterLogOptions {
  readonly dir: string
  readonly log: (line: string) => void
  readonly burst?: number
  readonly maxBytes?: number
  readonly now?: () => number
}

const MAX_LINE_KEPT = 2_000

export class DeadLetterLog {
  count = 0
  private readonly path: string
  private file: WriteStream
  private size: number
  private windowStart = 0
  private shown = 0
  private hidden = 0
  private readonly o: Required<DeadLetterLogOptions>

  constructor(options: DeadLetterLogOptions) {
    this.o = { burst: 20, maxBytes: 64 << 20, now: Date.now, ...options }
    this.path = join(options.dir, "dead-letters.ndjson")
    this.size = statSize(this.path)
    this.file = createWriteStream(this.path, { flags: "a" })
  }

  add(line: string, reason: string): void {
    this.count++
    const now = this.o.now()
    const record = `${JSON.stringify({ at: new Date(now).toISOString(), reason, line: line.slice(0, MAX_LINE_KEPT) })}\n`
    this.write(record)
    if (now - this.windowStart >= 60_000) {
      if (this.hidden > 0) this.o.log(`${this.hidden} more bad lines in the last minute (see ${this.path})`)
      this.windowStart = now
      this.shown = this.hidden = 0
    }
    if (this.shown++ < this.o.burst) this.o.log(`bad bridge line: ${reason}: ${line.slice(0, 200)}`)
    else this.hidden++
  }

  private write(record: string): void {
    if (this.size >= this.o.maxBytes) {
      this.file.end()
      try {
        renameSync(this.path, `${this.path}.1`)
      } catch {
        // Windows refuses to rename a file still being flushed: keep appending, rotate next time.
      }
      this.file = createWriteStream(this.path, { flags: "a" })
      this.size = 0
    }
    this.file.write(record)
    this.size += Buffer.byteLength(record)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve))
  }
}

const statSize = (path: string): number => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
