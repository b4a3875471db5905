import { spawn, spawnSync } from "node:child_process"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { barEntries, barIds } from "../support/bar-entries.ts"
import { compareIds, logMessageIds } from "../support/log-reader.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const KEY = "cli:events"

describe("minutebar relay: only the relay, as its own process", () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startServers()
  })
  afterAll(async () => {
    await servers.stop()
  })

  it("refuses to start without REDIS_URL and NATS_URL, saying which it needs", () => {
    const env = { ...process.env }
    delete env.REDIS_URL
    delete env.NATS_URL
    const run = spawnSync(process.execPath, ["src/main.ts", "relay"], { env, encoding: "utf8" })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/needs REDIS_URL and NATS_URL/)
  })

  it("on SIGTERM finishes the batches in flight and exits 0, leaving nothing read and unpublished", async () => {
    const redis = new Redis(servers.redisUrl)
    for (let i = 0; i < 40_000; i += 1_000) {
      const p = redis.pipeline()
      for (const e of barEntries(1_000, 0, i)) p.xadd(KEY, "*", "type", e.type, "data", e.data)
      await p.exec()
    }
    const child = spawn(process.execPath, ["src/main.ts", "relay"], {
      env: { ...process.env, REDIS_URL: servers.redisUrl, NATS_URL: servers.natsUrl, REDIS_STREAM: KEY },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stderr?.on("data", (d) => (output += d))
    const read = async () => {
      const groups = (await redis.xinfo("GROUPS", KEY).catch(() => [])) as Array<Array<string | number>>
      const g = groups[0]
      return g === undefined ? 0 : Number(g[g.indexOf("entries-read") + 1])
    }
    await eventually(async () => (await read()) >= 2_000, 30_000, "the relay under way")
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    child.kill("SIGTERM")
    expect(await exited, output).toBe(0)
    const relayed = await read()
    expect(relayed).toBeLessThan(40_000)
    expect(((await redis.xpending(KEY, "relay")) as [number])[0]).toBe(0)
    await redis.quit()
    const got = compareIds(await logMessageIds(servers.natsUrl), barIds(relayed))
    expect(got).toEqual({ count: relayed, doubled: [], missing: [], unexpected: [] })
  })
})
