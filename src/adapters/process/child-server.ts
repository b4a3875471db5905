/**
 * A private server child process (redis-server, nats-server) on a fixed port and data directory, which can be
 * stopped, killed and started again on the same port: what embedded mode and the fault tests need.
 *
 * State: the running child (or none). Invariant: `start` resolves only once the port accepts connections.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream, mkdirSync } from "node:fs"
import { join } from "node:path"
import { waitForPort } from "./free-port.ts"

export interface ChildServerSpec {
  readonly name: string
  readonly binary: string
  readonly args: ReadonlyArray<string>
  readonly port: number
  readonly dataDir: string
}

export class ChildServer {
  readonly spec: ChildServerSpec
  private child: ChildProcess | undefined

  constructor(spec: ChildServerSpec) {
    this.spec = spec
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  async start(timeoutMs = 15_000): Promise<void> {
    if (this.running) return
    mkdirSync(this.spec.dataDir, { recursive: true })
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
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }
}
