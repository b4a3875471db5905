/**
 * A whole day already in Redis, drained through the log into all four tables: what the system does after an
 * outage (the adapter's outbox delivers a day's backlog at once), and the production split, where the QMT
 * adapter builds bars on its own Windows machine and only Redis -> JetStream -> ClickHouse share these cores.
 * The simulated source fills a redis-server first (on a thread, as in `up`), then `minutebar up --no-simulator`
 * starts on that Redis and a nats-server of its own, and the clock runs from its start to the last table.
 */
import { Effect } from "effect"
import { Redis } from "ioredis"
import { runOnThread } from "../src/cli/part-thread.ts"
import { planSimulation } from "../src/pipelines/simulation-plan.ts"
import { startServers, tempDir } from "../test/support/servers.ts"
import { EVENTS_STREAM, scrape, startUp, usageOf } from "./e2e-process.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface DayDrain {
  readonly entries: number
  readonly fillS: number
  readonly relayS: number
  readonly allTablesS: number
  /** CPU seconds and RSS at the drain's end, per process. */
  readonly usage: Record<string, { cpuS: number; rssMb: number }>
  /** CPU seconds per process when the drain began: what the fill cost the servers. */
  readonly cpuBefore: Record<string, number>
  /** CPU seconds per thread of `up`. */
  readonly threadCpuS: Record<string, number>
}

export const drainDayFromRedis = async (
  symbols: number,
  day: string,
  log: (line: string) => void,
): Promise<DayDrain> => {
  const servers = await startServers()
  try {
    process.env.SIM_SYMBOLS = String(symbols) // read by the source's thread
    const t0 = Date.now()
    await Effect.runPromise(
      runOnThread({ part: "source", redisUrl: servers.redisUrl, plan: planSimulation(t0, "max", day) }),
    )
    const fillS = (Date.now() - t0) / 1000
    const redis = new Redis(servers.redisUrl)
    const entries = await redis.xlen(EVENTS_STREAM)
    redis.disconnect()
    log(`drain: ${entries} entries in Redis after ${fillS.toFixed(1)} s; starting up on them`)

    const cpuBefore = {
      "redis-server": usageOf(servers.redis.pid!).cpuS,
      "nats-server": usageOf(servers.nats.pid!).cpuS,
    }
    const t1 = Date.now()
    const up = await startUp(
      { DATA_DIR: tempDir("bench-drain"), REDIS_URL: servers.redisUrl, NATS_URL: servers.natsUrl },
      ["--no-simulator"],
    )
    let relayS = Number.NaN
    for (;;) {
      await sleep(250)
      const { counts } = await scrape(up.http)
      if (Number.isNaN(relayS) && (counts.relay ?? 0) >= entries) relayS = (Date.now() - t1) / 1000
      if ((counts.projection ?? 0) >= entries) break
      if (Date.now() - t1 > 600_000)
        throw new Error(`drain not through in 10 minutes: ${JSON.stringify(counts)}`)
      if ((Date.now() - t1) % 5_000 < 250)
        log(`drain: ${JSON.stringify(counts)} after ${Math.round((Date.now() - t1) / 1000)} s`)
    }
    const allTablesS = (Date.now() - t1) / 1000
    // The servers are not up's children here: their usage is read by pid.
    const usage = {
      minutebar: usageOf(up.child.pid!),
      "redis-server": usageOf(servers.redis.pid!),
      "nats-server": usageOf(servers.nats.pid!),
    }
    const { threadCpuS } = await scrape(up.http)
    await up.stop()
    return { entries, fillS, relayS, allTablesS, usage, cpuBefore, threadCpuS }
  } finally {
    await servers.stop()
  }
}
