/**
 * Text to stdout for long-running commands: each write waits until the chunk is handed over and says when
 * the reader has gone (`| head`), so a replay stops instead of running on, and a client does not ack bars
 * nobody read.
 */
import { Data, Effect } from "effect"

export class StdoutUnwritable extends Data.TaggedError("StdoutUnwritable")<{ readonly cause: unknown }> {
  override get message(): string {
    return `cannot write to stdout: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

const isClosedPipe = (e: unknown): boolean => (e as { code?: unknown } | undefined)?.code === "EPIPE"
let guarded = false

// The write callback carries the error; without a listener the 'error' event would also crash the process.
const guard = () => {
  if (guarded) return
  guarded = true
  process.stdout.on("error", (e) => {
    if (!isClosedPipe(e)) process.stderr.write(`stdout: ${String(e)}\n`)
  })
}

/** Writes `text`; succeeds with false once the reader is gone. */
export const writeStdout = (text: string): Effect.Effect<boolean, StdoutUnwritable> =>
  Effect.callback<boolean, StdoutUnwritable>((resume) => {
    guard()
    process.stdout.write(text, (e) =>
      resume(
        e == null
          ? Effect.succeed(true)
          : isClosedPipe(e)
            ? Effect.succeed(false)
            : Effect.fail(new StdoutUnwritable({ cause: e })),
      ),
    )
  })

/** One JSON line per value. */
export const ndjson = (values: ReadonlyArray<unknown>): string => {
  let text = ""
  for (const v of values) text += `${JSON.stringify(v)}\n`
  return text
}
