/**
 * The relay under faults: `minutebar relay` as a child process SIGKILLed at seeded random moments and
 * restarted, nats-server restarted and redis-server (AOF, appendfsync always) killed mid-run, while a writer
 * keeps appending bars. JetStream must end with every bar exactly once. RELAY_FAULT_SEED replays a run.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeRng } from "../../src/adapters/simulator/prng.ts"
import { type BarEntry, barEntries, barIds } from "../support/bar-entries.ts"
import { compareIds, logMessageIds } from "../support/log-reader.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const SEED = Number(process.env.RELAY_FAULT_SEED ?? Date.now() % 1_000_000)
const DISTINCT = 8_000
const CHUNK = 500
const KEY = "fault:events"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The adapter's outbox in small: each chunk is appended until Redis takes it, however long it is down. */
const writeAll = async (url: string, chunks: ReadonlyArray<ReadonlyArray<BarEntry>>, pauseMs: number) => {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 100,
  })
  redis.on("error", () => {})
  let retries = 0
  for (const chunk of chunks) {
    for (;;) {
      const pipeline = redis.pipeline()
      for (const e of chunk) pipeline.xadd(KEY, "*", "type", e.type, "data", e.data)
      const ok = await pipeline.exec().then(
        (results) => results?.every(([err]) => err === null) ?? false,
        () => false,
      )
      if (ok) break
      retries++
      await sleep(100)
    }
    await sleep(pauseMs)
  }
  redis.disconnect()
  return retries
}

/**
 * Waits (up to 3 s) until the running relay has just read entries it has not acked yet, so a kill lands
 * between its read and its ack: the moment whose recovery this test is about. (Entries idle longer are a
 * killed instance's, not yet taken back by a relay still starting.)
 */
const busy = async (redis: Redis) => {
  const deadline = Date.now() + 3_000
  while (Date.now() < deadline) {
    const pending = await redis.xpending(KEY, "relay", "-", "+", 1_000).then(
      (r) => r as Array<[string, string, number, number]>,
      () => [],
    )
    if (pending.some(([, , idle]) => idle < 50)) return true
    await sleep(1)
  }
  return false
}

/** `minutebar relay` as a child process; its output is kept for the failure message. */
const relayProcess = (servers: TestServers) => {
  let child: ChildProcess | undefined
  let output = ""
  const start = () => {
    child = spawn(process.execPath, ["src/main.ts", "relay"], {
      env: {
        ...process.env,
        REDIS_URL: servers.redisUrl,
        NATS_URL: servers.natsUrl,
        REDIS_STREAM: KEY,
        RELAY_CONSUMER: "relay-fault",
        RELAY_BATCH: "250",
        RELAY_CLAIM_IDLE_MS: "2000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout?.on("data", (d) => (output += d))
    child.stderr?.on("data", (d) => (output += d))
  }
  const stop = async (signal: NodeJS.Signals) => {
    const c = child
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return null
    const exited = new Promise<number | null>((resolve) => c.once("exit", (code) => resolve(code)))
    c.kill(signal)
    return exited
  }
  return { start, stop, output: () => output }
}

describe("the relay under faults", () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startServers({ appendfsync: "always" })
  })
  afterAll(async () => {
    await servers.stop()
  })

  it("SIGKILLed at random moments, with NATS and Redis restarted mid-run, JetStream ends with every bar exactly once", async () => {
    console.log(`relay fault test: seed ${SEED} (RELAY_FAULT_SEED=${SEED} replays it)`)
    const rng = makeRng()
    rng.reseed(SEED, 0, 0)
    const entries = barEntries(DISTINCT)
    // Some bars appended twice, as an outbox does after a lost reply.
    const resent = Array.from({ length: 400 }, () => entries[Math.floor(rng.unit() * DISTINCT)]!)
    const all = [...entries, ...resent]
    const chunks = Array.from({ length: Math.ceil(all.length / CHUNK) }, (_, i) =>
      all.slice(i * CHUNK, (i + 1) * CHUNK),
    )
    const plan = [
      ...Array.from({ length: 4 }, () => ({ at: 300 + rng.unit() * 7_000, what: "kill relay" })),
      { at: 1_500 + rng.unit() * 1_500, what: "restart nats" },
      { at: 4_000 + rng.unit() * 1_500, what: "kill redis" },
    ].sort((a, b) => a.at - b.at)
    console.log(plan.map((p) => `${Math.round(p.at)} ms: ${p.what}`).join(", "))

    const relay = relayProcess(servers)
    const watcher = new Redis(servers.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => 50 })
    watcher.on("error", () => {})
    let busyKills = 0
    relay.start()
    const t0 = Date.now()
    const writer = writeAll(servers.redisUrl, chunks, 8_000 / chunks.length)
    for (const step of plan) {
      await sleep(Math.max(0, step.at - (Date.now() - t0)))
      if (step.what === "kill relay") {
        if (await busy(watcher)) busyKills++
        await relay.stop("SIGKILL")
        await sleep(rng.unit() * 300)
        relay.start()
      } else if (step.what === "restart nats") await servers.nats.restart()
      else {
        await servers.redis.stop("SIGKILL")
        await sleep(200 + rng.unit() * 300)
        await servers.redis.start()
      }
    }
    const retries = await writer
    watcher.disconnect()
    console.log(
      `writer done after ${Date.now() - t0} ms, ${retries} chunk retries while Redis was down; ` +
        `${busyKills} of 4 kills with entries read and not acked`,
    )

    const redis = new Redis(servers.redisUrl)
    // Drained: the group has read up to the newest entry and acked all it read. (XINFO's `lag` is no help:
    // it is nil once the relay trimmed what it relayed, and nil read as 0 ended the wait too early.)
    const drained = async () => {
      const stream = (await redis.xinfo("STREAM", KEY)) as Array<string | number>
      const newest = String(stream[stream.indexOf("last-generated-id") + 1])
      const groups = (await redis.xinfo("GROUPS", KEY)) as Array<Array<string | number>>
      const g = groups[0]
      if (g === undefined) return false
      const field = (name: string) => g[g.indexOf(name) + 1]
      return Number(field("pending")) === 0 && String(field("last-delivered-id")) === newest
    }
    await eventually(drained, 30_000, "the relay to catch up").catch((e) => {
      throw new Error(`${e.message}; relay output:\n${relay.output().slice(-3_000)}`)
    })
    await redis.quit()
    expect(await relay.stop("SIGTERM")).toBe(0)
    console.log(
      relay
        .output()
        .match(/re-published \d+ entries/g)
        ?.join(", ") ?? "no pending entries at restarts",
    )

    const got = compareIds(await logMessageIds(servers.natsUrl), barIds(DISTINCT))
    expect(got).toEqual({ count: DISTINCT, doubled: [], missing: [], unexpected: [] })
  })
})
