/**
 * One run of the bridge child process: `python bridge.py <args>`, its stdout split into lines and handed over
 * synchronously as they arrive (nothing here awaits, so the pipe is drained as fast as QMT fills it), its stderr
 * passed on line by line. Its stdin stays open: the bridge exits when it closes, i.e. when the adapter dies.
 */
import { type ChildProcess, spawn } from "node:child_process"

export interface BridgeCommand {
  readonly python: string
  readonly script: string
  readonly args: ReadonlyArray<string>
  /** Extra environment; the adapter's secrets are never passed to the bridge. */
  readonly env?: Readonly<Record<string, string>>
}

export interface BridgeOutput {
  readonly onLines: (lines: ReadonlyArray<string>) => void
  readonly onLog: (line: string) => void
  /** A line longer than the limit was skipped (its length so far). */
  readonly onOverlong: (length: number) => void
}

export interface BridgeExit {
  readonly code: number | null
  readonly signal: string | null
  /** The process could not be started (python not found...). */
  readonly error?: Error
}

export interface RunningBridge {
  readonly pid: number | undefined
  readonly exited: Promise<BridgeExit>
  readonly kill: (signal?: NodeJS.Signals) => void
}

const SECRETS = ["REDIS_URL", "NATS_URL", "CLICKHOUSE_URL", "CLICKHOUSE_PASSWORD"]
const MAX_LINE = 1 << 20

const bridgeEnv = (extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONUNBUFFERED: "1",
    PYTHONIOENCODING: "utf-8",
    ...extra,
  }
  for (const key of SECRETS) delete env[key]
  return env
}

/** Splits a text stream into lines; a line over `max` characters is skipped and reported, never buffered whole. */
export const makeLineSplitter = (
  emit: (lines: string[]) => void,
  overlong: (n: number) => void,
  max = MAX_LINE,
) => {
  let rest = ""
  let skipping = false
  return (chunk: string): void => {
    const parts = chunk.split("\n")
    const last = parts.pop()!
    const lines: string[] = []
    for (let i = 0; i < parts.length; i++) {
      const line = i === 0 ? rest + parts[0] : parts[i]!
      if (i === 0 && skipping) overlong(line.length)
      else if (line.length > max) overlong(line.length)
      else if (line.length > 0) lines.push(line.endsWith("\r") ? line.slice(0, -1) : line)
      if (i === 0) skipping = false
    }
    rest = parts.length === 0 ? rest + last : last
    if (rest.length > max) {
      skipping = true
      rest = ""
    }
    if (lines.length > 0) emit(lines)
  }
}

const exitOf = (child: ChildProcess): Promise<BridgeExit> =>
  new Promise((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }))
    child.once("close", (code, signal) => resolve({ code, signal }))
  })

/** Starts the bridge; `exited` settles when it is gone and its output was read to the end. */
export const startBridge = (command: BridgeCommand, out: BridgeOutput): RunningBridge => {
  const child = spawn(command.python, [command.script, ...command.args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: bridgeEnv(command.env),
    windowsHide: true,
  })
  const exited = exitOf(child)
  child.stdin?.on("error", () => {})
  child.stdout?.setEncoding("utf8")
  child.stdout?.on("data", makeLineSplitter(out.onLines, out.onOverlong))
  child.stderr?.setEncoding("utf8")
  child.stderr?.on(
    "data",
    makeLineSplitter((lines) => lines.forEach(out.onLog), out.onOverlong),
  )
  return {
    pid: child.pid,
    exited,
    kill: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    },
  }
}
