/**
 * The outbox's on-disk format: segment files `<first seq, 16 digits>.ndjson` in one directory, one event per line
 * as `seq TAB type TAB data`, and the helpers that read them back by complete lines (a torn last line, from a
 * crash mid-write, is never returned) and make file and directory changes durable.
 */
import { mkdir, open, readdir, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"

export interface OutboxEntry {
  readonly seq: number
  readonly type: string
  readonly data: string
}

const SEGMENT = /^(\d{16})\.ndjson$/

export const segmentName = (first: number): string => `${String(first).padStart(16, "0")}.ndjson`

/** First seqs of the segments in `dir`, ascending (creates `dir`). */
export const listSegments = async (dir: string): Promise<number[]> => {
  await mkdir(dir, { recursive: true })
  const names = await readdir(dir)
  return names
    .map((n) => SEGMENT.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

export const formatEntry = (seq: number, type: string, data: string): string => `${seq}\t${type}\t${data}\n`

/** Parses a line written by `formatEntry`; undefined when it is not one. */
export const parseEntry = (line: string): OutboxEntry | undefined => {
  const a = line.indexOf("\t")
  const b = a < 0 ? -1 : line.indexOf("\t", a + 1)
  const seq = Number(line.slice(0, a))
  if (b < 0 || !Number.isSafeInteger(seq)) return undefined
  return { seq, type: line.slice(a + 1, b), data: line.slice(b + 1) }
}

export interface LineAt {
  readonly text: string
  /** Byte offset just after the line's newline. */
  readonly end: number
}

const CHUNK = 1 << 20

/**
 * Complete lines of a file from byte `offset`, in batches (one per chunk read); stops at the last newline, so a
 * torn tail is not returned. Lines are split on the byte 0x0A before decoding, so UTF-8 is never cut in two.
 */
export async function* readLines(path: string, offset: number): AsyncGenerator<LineAt[]> {
  const handle = await open(path, "r")
  try {
    let position = offset
    let carry = Buffer.alloc(0)
    while (true) {
      const buffer = Buffer.allocUnsafe(CHUNK)
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position)
      if (bytesRead === 0) return
      const data =
        carry.length > 0
          ? Buffer.concat([carry, buffer.subarray(0, bytesRead)])
          : buffer.subarray(0, bytesRead)
      const base = position - carry.length
      position += bytesRead
      const lines: LineAt[] = []
      let start = 0
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        lines.push({ text: data.toString("utf8", start, nl), end: base + nl + 1 })
        start = nl + 1
      }
      carry = Buffer.from(data.subarray(start))
      if (lines.length > 0) yield lines
    }
  } finally {
    await handle.close()
  }
}

/** Makes a rename or a new file in `dir` durable; a no-op where directories cannot be synced (Windows). */
export const syncDirectory = async (dir: string): Promise<void> => {
  try {
    const handle = await open(dir, "r")
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Windows cannot open a directory; NTFS journals the rename itself.
  }
}

/** Replaces `path` with `text` atomically: a reader sees the old or the new file, never a torn one. */
export const writeFileAtomic = async (path: string, text: string, durable: boolean): Promise<void> => {
  const tmp = `${path}.tmp`
  if (durable) {
    const handle = await open(tmp, "w")
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
  } else {
    await writeFile(tmp, text)
  }
  await rename(tmp, path)
  if (durable) await syncDirectory(join(path, ".."))
}
