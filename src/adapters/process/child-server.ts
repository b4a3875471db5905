/**
 * A private server child process (redis-server, nats-server) on a fixed port and data directory, which can be
 * stopped, killed and started again on the same port: what embedded mode and the fault tests need.
 *
 * State: the running child (or none), and its pid in `<dataDir>/<name>.pid` while it runs. Invariant: `start`
 * resolves only once the port accepts connections from the child it started, never from another process.
 *
 * The child runs in its own process group, so an owner killed with SIGKILL leaves it running. The next start
 * on the same data directory finds it by the pid file and stops it first: otherwise it would hold the port
 * (and the data) for good, and a new owner would silently talk to a server nobody stops.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import { portInUse, waitForPort } from "./free-port.ts"
import { isRunning, processState } from "./process-state.ts"

export interface ChildServerSpec {
  readonly name: string
  readonly binary: string
  readonly args: ReadonlyArray<string>
  readonly port: number
  readonly dataDir: string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class ChildServer {
  readonly spec: ChildServerSpec
  private child: ChildProcess | undefined

  constructor(spec: ChildServerSpec) {
    this.spec = spec
  }

  /** The running server's pid (for a benchmark's CPU figures). */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined
  }

  private get pidFile(): string {
    return join(this.spec.dataDir, `${this.spec.name}.pid`)
  }

  /** Stops the server a previous owner of this data directory left running; returns its pid, if there was one. */
  private async stopLeftover(): Promise<number | undefined> {
    let pid: number
    try {
      pid = Number(readFileSync(this.pidFile, "utf8").trim())
    } catch {
      return undefined
    }
    // A recycled pid is some other program: only a running process of this server's binary is ours.
    const ps = Number.isInteger(pid) && pid > 0 ? processState(pid) : undefined
    if (ps?.running !== true || !ps.command.includes(basename(this.spec.binary))) return undefined
    process.kill(pid, "SIGTERM")
    for (let waited = 0; isRunning(pid); waited += 50) {
      if (waited === 10_000) process.kill(pid, "SIGKILL")
      await sleep(50)
    }
    return pid
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Starts the server; says which pid it stopped first if an earlier owner had left one running. */
  async start(timeoutMs = 15_000): Promise<{ readonly stoppedLeftover?: number }> {
    if (this.running) return {}
    mkdirSync(this.spec.dataDir, { recursive: true })
    const stoppedLeftover = await this.stopLeftover()
    if (await portInUse(this.spec.port))
      throw new Error(`127.0.0.1:${this.spec.port} is in use by another process`)
    const log = createWriteStream(join(this.spec.dataDir, `${this.spec.name}.log`), { flags: "a" })
    // Its own process group: a Ctrl-C in the terminal reaches only minutebar, which stops its pipelines
    // first and the server last (the server going first would leave them retrying against nothing).
    const child = spawn(this.spec.binary, [...this.spec.args], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    })
    child.stdout?.pipe(log)
    child.stderr?.pipe(log)
    this.child = child
    if (child.pid !== undefined) writeFileSync(this.pidFile, String(child.pid))
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) =>
        reject(
          new Error(
            `${this.spec.name} exited with ${code} at start; see ${this.spec.dataDir}/${this.spec.name}.log`,
          ),
        ),
      ),
    )
    await Promise.race([waitForPort(this.spec.port, timeoutMs), exited])
    return stoppedLeftover === undefined ? {} : { stoppedLeftover }
  }

  /** Stops the server: SIGTERM lets Redis flush its AOF and NATS close its store cleanly. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child
    if (child === undefined || !this.running) return
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()))
    child.kill(signal)
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    await gone
    clearTimeout(timer)
    this.child = undefined
    rmSync(this.pidFile, { force: true })
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }
}
