/**
 * NDJSON in and out for CLI commands: a file (or stdin) is read line by line as a stream, each line parsed and
 * decoded with a Schema; a bad line is reported with its line number and skipped, so one bad line never
 * costs the rest of the file. Only an unreadable input fails.
 */
import { open } from "node:fs/promises"
import { createInterface } from "node:readline"
import { Data, Effect, Result, Schema } from "effect"

export class InputUnreadable extends Data.TaggedError("InputUnreadable")<{
  readonly source: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `cannot read ${this.source}: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

export class OutputUnwritable extends Data.TaggedError("OutputUnwritable")<{ readonly cause: unknown }> {}

/** A line that could not be used: 1-based line number and why. */
export interface BadLine {
  readonly line: number
  readonly reason: string
}

export interface LineHandlers<A> {
  readonly onValue: (value: A, line: number) => void
  readonly onBad: (bad: BadLine) => void
}

/** Name of an input in messages: the path, or `stdin`. */
export const sourceName = (path: string | undefined): string => path ?? "stdin"

const parseJson = (text: string): Result.Result<unknown, string> =>
  Result.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => `not JSON (${e instanceof Error ? e.message : String(e)})`,
  })

// Schema messages span lines ("Missing key\n  at [\"symbol\"]"); a report is one line.
const oneLine = (message: string): string => message.replace(/\s*\n\s*/g, " ")

const readLines = async (
  path: string | undefined,
  each: (text: string, line: number) => void,
): Promise<number> => {
  // Opening first makes a missing file fail here, before any line is handled.
  const handle = path === undefined ? undefined : await open(path)
  const input = handle?.createReadStream({ encoding: "utf8" }) ?? process.stdin
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) each(text, ++line)
  return line
}

/** Reads `path` (stdin when undefined), decoding each non-blank line with `schema`; returns the line count. */
export const decodeNdjson = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  path: string | undefined,
  handlers: LineHandlers<S["Type"]>,
): Effect.Effect<number, InputUnreadable> => {
  const decode = Schema.decodeUnknownResult(schema)
  const decodeLine = (text: string): Result.Result<S["Type"], string> =>
    Result.flatMap(parseJson(text), (json) =>
      Result.mapError(decode(json), (error) => oneLine(error.message)),
    )
  const each = (text: string, line: number): void => {
    if (text.trim() === "") return
    Result.match(decodeLine(text), {
      onSuccess: (value) => handlers.onValue(value, line),
      onFailure: (reason) => handlers.onBad({ line, reason }),
    })
  }
  return Effect.tryPromise({
    try: () => readLines(path, each),
    catch: (cause) => new InputUnreadable({ source: sourceName(path), cause }),
  })
}

const isClosedPipe = (e: unknown): boolean => (e as { code?: unknown } | undefined)?.code === "EPIPE"
let pipeGuarded = false

// Resolves false once the reader is gone (`| head`): stdout then reports EPIPE, which ends the output quietly.
const writeChunk = (chunk: string): Promise<boolean> => {
  if (!pipeGuarded) {
    // The write callback carries the error too; without a listener the 'error' event would crash the process.
    process.stdout.on("error", (e) => {
      if (!isClosedPipe(e)) process.stderr.write(`stdout: ${String(e)}\n`)
    })
    pipeGuarded = true
  }
  return new Promise((resolve, reject) =>
    process.stdout.write(chunk, (e) =>
      e == null ? resolve(true) : isClosedPipe(e) ? resolve(false) : reject(e),
    ),
  )
}

/** Writes each value as one JSON line to stdout, in chunks, waiting for each chunk to be flushed. */
export const writeNdjson = (values: Iterable<unknown>): Effect.Effect<void, OutputUnwritable> =>
  Effect.tryPromise({
    try: async () => {
      let chunk = ""
      for (const v of values) {
        chunk += `${JSON.stringify(v)}\n`
        if (chunk.length < 65_536) continue
        if (!(await writeChunk(chunk))) return
        chunk = ""
      }
      if (chunk !== "") await writeChunk(chunk)
    },
    catch: (cause) => new OutputUnwritable({ cause }),
  })

/** Reports a bad line on stderr as `source:line: reason`, like a compiler, so editors can jump to it. */
export const reportBadLine = (source: string, bad: BadLine): void => {
  process.stderr.write(`${source}:${bad.line}: ${bad.reason}\n`)
}
