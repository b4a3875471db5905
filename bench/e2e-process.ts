/** Runs `minutebar up` as a child for the end-to-end benchmark and reads its counters, CPU and memory. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { freePort } from "../src/adapters/process/free-port.ts"

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

export const startUp = async (env: Record<string, string>): Promise<UpProcess> => {
  const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
  const child = spawn(process.execPath, ["src/main.ts", "up"], {
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

/** `minutebar_events_total{stage=...}` of the running system. */
export const stageCounts = async (http: number): Promise<Record<string, number>> => {
  const text = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
  const counts: Record<string, number> = {}
  for (const m of text.matchAll(/^minutebar_events_total\{stage="(\w+)"\} (\d+)/gm))
    counts[m[1]!] = Number(m[2])
  return counts
}

const TICK = 100 // USER_HZ on Linux

/** CPU seconds and RSS (MB) of a process and its children (the private redis-server and nats-server). */
export const processUsage = (pid: number): Record<string, { cpuS: number; rssMb: number }> => {
  const children = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(pid)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.trim().split(/\s+/))
  const one = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ")
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? "0"
    return { cpuS: (Number(stat[11]) + Number(stat[12])) / TICK, rssMb: Math.round(Number(rss) / 1024) }
  }
  const usage: Record<string, { cpuS: number; rssMb: number }> = { minutebar: one(pid) }
  for (const [p, comm] of children)
    if (comm === "redis-server" || comm === "nats-server") usage[comm] = one(Number(p))
  return usage
}
