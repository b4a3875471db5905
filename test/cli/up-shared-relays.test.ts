/**
 * The compose deployment: `up --no-simulator` (API, projection and a relay) next to relays of other processes
 * on the same Redis consumer group, which split the stream between them. The API's latest-bar view must show
 * every bar in the log, not only those its own relay took.
 */
import { rmSync } from "node:fs"
import { join } from "node:path"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort } from "../../src/adapters/process/free-port.ts"
import { barEntries, benchBar } from "../support/bar-entries.ts"
import { type MinutebarProcess, spawnMinutebar, untilPrinted } from "../support/minutebar-process.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers, tempDir } from "../support/servers.ts"

const STREAM = "minutebar:events"
const BARS = 2_000 // 2,000 symbols' 09:31 bar

const minutebar = (args: string[], env: Record<string, string>) =>
  spawnMinutebar(["src/main.ts", ...args], { env: { ...process.env, ...env } })

describe("up --no-simulator beside other relays of the same group", () => {
  let servers: TestServers
  const dir = tempDir("shared-relays")
  const procs: MinutebarProcess[] = []

  beforeAll(async () => {
    servers = await startServers()
  })
  afterAll(async () => {
    for (const p of procs) {
      p.child.kill("SIGTERM")
      await p.exited
    }
    await servers.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("shows in /api/latest the bars every relay published, not only its own relay's", async () => {
    const http = await freePort()
    const shared = { REDIS_URL: servers.redisUrl, NATS_URL: servers.natsUrl, REDIS_STREAM: STREAM }
    const api = minutebar(["up", "--no-simulator"], {
      ...shared,
      DATA_DIR: join(dir, "api"),
      HTTP_PORT: String(http),
      RELAY_CONSUMER: "relay-api",
    })
    procs.push(api)
    await untilPrinted(api, "minutebar is up")
    const other = minutebar(["relay"], { ...shared, RELAY_CONSUMER: "relay-1" })
    procs.push(other)
    await untilPrinted(other, "relay relay-1", 30_000)

    // In small pieces, as an adapter sends them: the two relays, both waiting on the group, take turns.
    const redis = new Redis(servers.redisUrl)
    const entries = barEntries(BARS)
    for (let i = 0; i < entries.length; i += 50) {
      const p = redis.pipeline()
      for (const e of entries.slice(i, i + 50)) p.xadd(STREAM, "*", "type", e.type, "data", e.data)
      await p.exec()
      await new Promise((r) => setTimeout(r, 5))
    }
    redis.disconnect()

    const symbols = Array.from({ length: BARS }, (_, i) => benchBar(i).symbol)
    const frame = benchBar(0).frame
    const shown = async () => {
      let n = 0
      for (let i = 0; i < symbols.length; i += 100) {
        const res = await fetch(
          `http://127.0.0.1:${http}/api/latest?symbols=${symbols.slice(i, i + 100).join(",")}`,
        )
        const body = (await res.json()) as { quotes?: { frame: string }[] }
        n += (body.quotes ?? []).filter((q) => q.frame === frame).length
      }
      return n
    }
    await eventually(async () => (await shown()) === BARS, 30_000, `all ${BARS} bars in /api/latest`).catch(
      async (e) => {
        throw new Error(`${e.message}: ${await shown()} shown`)
      },
    )
    // The other relay did take part of the stream (else this shows nothing).
    const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
    const ownRelay = Number(/^minutebar_events_total\{stage="relay"\} (\d+)/m.exec(metrics)?.[1] ?? 0)
    expect(ownRelay).toBeLessThan(BARS)
  })
})
