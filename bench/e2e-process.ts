/** Runs `minutebar up` as a child for the end-to-end benchmark and reads its counters, CPU and memory. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { freePort } from "../src/adapters/process/free-port.ts"

/** The Redis stream of `up` on default settings (REDIS_STREAM). */
export const EVENTS_STREAM = "minutebar:events"

export interface UpProcess {
  readonly child: ChildProcess
  readonly http: number
  /** The private redis-server's port, where the source's bars enter the system. */
  readonly redis: number
  /** The private nats-server's port. */
  readonly nats: number
  output: string
  stop(): Promise<void>
}

export const startUp = async (
  env: Record<string, string>,
  args: ReadonlyArray<string> = [],
): Promise<UpProcess> => {
  const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
  const child = spawn(process.execPath, ["src/main.ts", "up", ...args], {
    env: {
      ...process.env,
      HTTP_PORT: String(http),
      EMBEDDED_REDIS_PORT: String(redis),
      EMBEDDED_NATS_PORT: String(nats),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  const up: UpProcess = {
    child,
    http,
    redis,
    nats,
    output: "",
    stop: async () => {
      const gone = new Promise<void>((r) => child.once("exit", () => r()))
      child.kill("SIGTERM")
      await gone
    },
  }
  child.stdout?.on("data", (d) => (up.output += d))
  child.stderr?.on("data", (d) => (up.output += d))
  const deadline = Date.now() + 60_000
  while (!up.output.includes("minutebar is up")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`up did not start: ${up.output}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return up
}

export interface Scrape {
  /** `minutebar_events_total{stage=...}` */
  readonly counts: Record<string, number>
  /** The longest event loop delay of the API's thread since the previous scrape, in ms. */
  readonly loopDelayMaxMs: number | undefined
  /** CPU seconds per thread of `up` (main, relay, source, native) since it started. */
  readonly threadCpuS: Record<string, number>
}

/** The running system's /metrics: its stage counters and how long its API thread was blocked. */
export const scrape = async (http: number): Promise<Scrape> => {
  const text = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
  const counts: Record<string, number> = {}
  for (const m of text.matchAll(/^minutebar_events_total\{stage="(\w+)"\} (\d+)/gm))
    counts[m[1]!] = Number(m[2])
  const delay = /^minutebar_event_loop_delay_seconds\{quantile="1"\} (\S+)/m.exec(text)?.[1]
  const threadCpuS: Record<string, number> = {}
  for (const m of text.matchAll(/^minutebar_cpu_seconds_total\{thread="(\w+)"\} (\S+)/gm))
    threadCpuS[m[1]!] = Number(m[2])
  return { counts, loopDelayMaxMs: delay === undefined ? undefined : Number(delay) * 1000, threadCpuS }
}

/** Each thread's or process' share of a core over `seconds`, from CPU seconds at its start and end. */
export const coreShares = (
  from: Record<string, number>,
  to: Record<string, number>,
  seconds: number,
): Record<string, number> =>
  Object.fromEntries(
    Object.entries(to).map(([t, s]) => [t, Math.round(((s - (from[t] ?? 0)) / seconds) * 100) / 100]),
  )

const TICK = 100 // USER_HZ on Linux

/** CPU seconds and RSS (MB) of one process. */
export const usageOf = (pid: number): { cpuS: number; rssMb: number } => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0"
  return { cpuS: (Number(stat[11]) + Number(stat[12])) / TICK, rssMb: Math.round(Number(rss) / 1024) }
}

type Usage = Record<string, { cpuS: number; rssMb: number }>

/** CPU seconds per process of a usage reading. */
export const cpuSeconds = (usage: Usage): Record<string, number> =>
  Object.fromEntries(Object.entries(usage).map(([k, u]) => [k, u.cpuS]))

/** RSS (MB) per process of a usage reading. */
export const rssMb = (usage: Usage): Record<string, number> =>
  Object.fromEntries(Object.entries(usage).map(([k, u]) => [k, u.rssMb]))

/** CPU seconds and RSS (MB) of a process and its children (the private redis-server and nats-server). */
export const processUsage = (pid: number): Usage => {
  const children = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(pid)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.trim().split(/\s+/))
  const usage: Usage = { minutebar: usageOf(pid) }
  for (const [p, comm] of children)
    if (comm === "redis-server" || comm === "nats-server") usage[comm] = usageOf(Number(p))
  return usage
}
