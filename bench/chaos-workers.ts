/**
 * The pipeline processes of a chaos run (`minutebar adapter`, `relay`, `project`) as children that can be
 * SIGKILLed and started again, each with its output kept for the report.
 *
 * State per worker: the running child (or none), the tail of its output, the pids of grandchildren it
 * reported (the adapter's bridges), and counts of starts, kills and exits nobody asked for.
 * Invariant: every child ever started is killed when this process exits, even on a failure.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, type WriteStream } from "node:fs"
import type { ChildServer } from "../src/adapters/process/child-server.ts"

const TAIL = 64 * 1024
const live = new Set<ChildProcess>()
const grandchildren = new Set<number>()

// A failed run must not leave an adapter writing into a temp dir nobody reads.
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL")
  for (const pid of grandchildren) killPid(pid)
})

const killPid = (pid: number): void => {
  try {
    process.kill(pid, "SIGKILL")
  } catch {
    // already gone
  }
}

/** The private redis-server and nats-server of a run go with it, however it ends. */
export const killedOnExit = <S extends { readonly redis: ChildServer; readonly nats: ChildServer }>(
  servers: S,
): S => {
  process.on("exit", () => {
    void servers.redis.stop("SIGKILL")
    void servers.nats.stop("SIGKILL")
  })
  return servers
}

export interface WorkerSpec {
  readonly name: string
  /** `minutebar` arguments, e.g. ["relay"]. */
  readonly args: ReadonlyArray<string>
  /** The environment of the next start (the adapter's depends on what its last run saved). */
  readonly env: () => Promise<Record<string, string>>
  /** Every run's whole output goes here too (kept with CHAOS_KEEP for a post-mortem). */
  readonly logFile?: string
}

export class Worker {
  readonly spec: WorkerSpec
  starts = 0
  kills = 0
  /** Exits this run did not cause: each is a finding. */
  unexpectedExits: string[] = []
  private child: ChildProcess | undefined
  private tail = ""
  private killing = false
  private bridges: number[] = []
  /** Output of the current child only: what "has it finished?" questions look at. */
  current = ""
  private readonly file: WriteStream | undefined

  constructor(spec: WorkerSpec) {
    this.spec = spec
    this.file = spec.logFile === undefined ? undefined : createWriteStream(spec.logFile, { flags: "a" })
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  output(): string {
    return this.tail
  }

  async start(): Promise<void> {
    if (this.running) return
    const env = await this.spec.env()
    const child = spawn(process.execPath, ["src/main.ts", ...this.spec.args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    this.child = child
    this.current = ""
    this.bridges = []
    this.starts++
    this.file?.write(`--- ${new Date().toISOString()} started (pid ${child.pid})\n`)
    live.add(child)
    const take = (d: Buffer) => this.take(d.toString())
    child.stdout?.on("data", take)
    child.stderr?.on("data", take)
    child.once("exit", (code, signal) => {
      live.delete(child)
      if (!this.killing) this.unexpectedExits.push(`${this.spec.name} exited (${signal ?? code})`)
      this.killing = false
    })
  }

  private take(text: string): void {
    for (const m of text.matchAll(/bridge started \(pid (\d+)\)/g)) {
      grandchildren.add(Number(m[1]))
      this.bridges.push(Number(m[1]))
    }
    this.file?.write(text)
    this.current = (this.current + text).slice(-TAIL)
    this.tail = (this.tail + text).slice(-TAIL)
  }

  /** Sends `signal` and waits for the exit; a SIGKILL also takes the adapter's bridges with it. */
  async stop(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<number | null> {
    const child = this.child
    if (child === undefined || !this.running) return child?.exitCode ?? null
    this.killing = true
    if (signal === "SIGKILL") this.kills++
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
    child.kill(signal)
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    const code = await exited
    clearTimeout(timer)
    // Only this child's bridges: a pid of an earlier one may belong to another process by now.
    if (signal === "SIGKILL") for (const pid of this.bridges) killPid(pid)
    for (const pid of this.bridges) grandchildren.delete(pid)
    this.bridges = []
    return code
  }
}
