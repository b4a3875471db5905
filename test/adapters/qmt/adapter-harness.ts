/**
 * What the adapter tests share: a private redis-server, `minutebar adapter` as a child process driven by the
 * stand-in xtquant (test/fixtures/xtquant), the stream read back, and the batch bars to compare with.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { join, resolve } from "node:path"
import { Redis } from "ioredis"
import type { ChildServer } from "../../../src/adapters/process/child-server.ts"
import { freePort } from "../../../src/adapters/process/free-port.ts"
import { ensureServerBinaries, REDIS_SERVER } from "../../../src/adapters/process/server-binaries.ts"
import { redisServer, redisUrl } from "../../../src/adapters/redis/redis-server-process.ts"
import { eventually } from "../../support/runtime.ts"

export const TICKS = "/work/shared/realdata/ticks/600519.SH-2023-02-01.ndjson"
export const FAKE_XTQUANT = resolve("test/fixtures/xtquant")
export const STREAM = "minutebar:events"

export interface TestRedis {
  readonly server: ChildServer
  readonly url: string
  readonly client: Redis
  stop(): Promise<void>
}

export const startRedis = async (dir: string): Promise<TestRedis> => {
  const bins = ensureServerBinaries([REDIS_SERVER], () => {})
  const port = await freePort()
  const server = redisServer({
    binary: bins["redis-server"]!,
    port,
    dataDir: join(dir, "redis"),
    appendfsync: "always",
  })
  await server.start()
  const client = new Redis(redisUrl(port), { lazyConnect: false, maxRetriesPerRequest: null })
  client.on("error", () => {})
  return {
    server,
    url: redisUrl(port),
    client,
    stop: async () => {
      client.disconnect()
      await server.stop()
    },
  }
}

export interface StreamEvent {
  readonly type: string
  readonly data: string
}

export const readStream = async (client: Redis): Promise<StreamEvent[]> => {
  const raw = (await client.xrange(STREAM, "-", "+")) as Array<[string, string[]]>
  return raw.map(([, f]) => ({ type: f[1]!, data: f[3]! }))
}

export interface WireBar {
  readonly symbol: string
  readonly frame: string
  readonly rev: number
  readonly [k: string]: unknown
}

export const barsOf = (events: ReadonlyArray<StreamEvent>): WireBar[] =>
  events.filter((e) => e.type === "bar").map((e) => JSON.parse(e.data) as WireBar)

/** What the log keeps: one bar per (symbol, frame), the highest rev, in the CLI's shape and order. */
export const finalBars = (bars: ReadonlyArray<WireBar>) => {
  const best = new Map<string, WireBar>()
  for (const b of bars) {
    const key = `${b.symbol} ${b.frame}`
    if ((best.get(key)?.rev ?? -1) < b.rev) best.set(key, b)
  }
  return [...best.values()]
    .sort((a, b) =>
      a.symbol === b.symbol ? a.frame.localeCompare(b.frame) : a.symbol.localeCompare(b.symbol),
    )
    .map(({ period: _p, rev: _r, ...bar }) => bar)
}

/** Events sent twice must be the same event: an id never carries two different bars. */
export const conflictingIds = (bars: ReadonlyArray<WireBar>): string[] => {
  const seen = new Map<string, string>()
  const conflicts: string[] = []
  for (const b of bars) {
    const id = `${b.symbol}:1m:${b.frame}:${b.rev}`
    const json = JSON.stringify(b)
    if (seen.has(id) && seen.get(id) !== json) conflicts.push(id)
    seen.set(id, json)
  }
  return conflicts
}

/** `minutebar bars from-ticks FILE`, parsed. */
export const batchBars = (file: string): unknown[] =>
  execFileSync(process.execPath, ["src/main.ts", "bars", "from-ticks", file], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))

export interface AdapterProcess {
  readonly child: ChildProcess
  output(): string
  bridgePids(): number[]
  exited: Promise<number | null>
}

/** `node src/main.ts adapter` with the stand-in xtquant, or with `nodeArgs` as a service runs it. */
export const startAdapter = (
  env: Record<string, string>,
  nodeArgs: ReadonlyArray<string> = ["src/main.ts", "adapter"],
): AdapterProcess => {
  let output = ""
  const child = spawn(process.execPath, nodeArgs, {
    env: {
      ...process.env,
      PYTHONPATH: FAKE_XTQUANT,
      MINUTEBAR_BRIDGE_CLOCK: "ticks",
      QMT_PYTHON: "python3",
      // Status lines say how far the adapter got: tests wait for them instead of for a fixed time.
      ADAPTER_STATUS_EVERY_MS: "250",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
  return {
    child,
    output: () => output,
    bridgePids: () => [...output.matchAll(/bridge started \(pid (\d+)\)/g)].map((m) => Number(m[1])),
    exited,
  }
}

/** SIGKILL for the adapter and every bridge it started (a bridge outliving it exits on its own, but not at once). */
export const killAll = async (a: AdapterProcess): Promise<void> => {
  a.child.kill("SIGKILL")
  for (const pid of a.bridgePids()) {
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // already gone
    }
  }
  await a.exited
}

export const stopAdapter = async (a: AdapterProcess): Promise<number | null> => {
  a.child.kill("SIGTERM")
  return a.exited
}

/** Waits until the adapter has printed `pattern` (its status lines say how far it got). */
export const waitForOutput = (a: AdapterProcess, pattern: RegExp, timeoutMs = 30_000) =>
  eventually(async () => pattern.test(a.output()), timeoutMs, `${pattern} in the output`).catch(
    (e: Error) => {
      throw new Error(`${e.message}; adapter output:\n${a.output()}`)
    },
  )

/** Waits until the stream holds at least `n` bar events. */
export const waitForBars = (client: Redis, n: number, a: AdapterProcess, timeoutMs = 40_000) =>
  eventually(
    // Distinct bars: a batch re-sent after a lost reply is not progress.
    async () =>
      new Set(barsOf(await readStream(client)).map((b) => `${b.symbol}:${b.frame}:${b.rev}`)).size >= n,
    timeoutMs,
    `${n} bars in the stream`,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; adapter output:\n${a.output()}`)
  })
