/**
 * What the relay benchmark's sections share: private redis-server and nats-server, a runtime over the real
 * Redis and JetStream adapters (no chDB), a deterministic set of bar entries, and timing helpers.
 */
import { jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect } from "effect"
import { Redis } from "ioredis"
import { ensureStream } from "../src/adapters/nats/stream-limits.ts"
import { barEntries } from "../test/support/bar-entries.ts"
import { makeRelayRuntime } from "../test/support/relay-runtime.ts"
import { startServers, type TestServers } from "../test/support/servers.ts"

export const NATS_STREAM = "MARKET"

export interface BenchContext {
  readonly servers: TestServers
  readonly nc: NatsConnection
  readonly redis: Redis
  /** Count of messages in the JetStream stream right now. */
  readonly logCount: () => Promise<number>
  readonly purgeLog: () => Promise<void>
  close(): Promise<void>
}

export const openBench = async (): Promise<BenchContext> => {
  const servers = await startServers()
  const nc = await connect({ servers: servers.natsUrl, name: "bench" })
  const jsm = await jetstreamManager(nc)
  await ensureStream(jsm, { stream: NATS_STREAM, retentionDays: 1, duplicateWindowMs: 600_000 })
  const redis = new Redis(servers.redisUrl)
  return {
    servers,
    nc,
    redis,
    logCount: async () => (await jsm.streams.info(NATS_STREAM)).state.messages,
    purgeLog: async () => void (await jsm.streams.purge(NATS_STREAM)),
    close: async () => {
      await nc.close()
      await redis.quit()
      await servers.stop()
    },
  }
}

/** The adapters the relay runs on, for one Redis stream key. */
export const relayRuntime = (ctx: BenchContext, stream: string) => makeRelayRuntime(ctx.servers, stream)

/** Pipelined XADD in chunks of 1,000, as the adapter's outbox writes. */
export const prefill = async (
  redis: Redis,
  key: string,
  entries: ReadonlyArray<{ type: string; data: string }>,
) => {
  for (let i = 0; i < entries.length; i += 1000) {
    const p = redis.pipeline()
    for (const e of entries.slice(i, i + 1000)) p.xadd(key, "*", "type", e.type, "data", e.data)
    await p.exec()
  }
}

/** Polls until the log holds `n` messages; resolves to the time it did. */
export const whenLogHolds = async (ctx: BenchContext, n: number, timeoutMs = 300_000): Promise<number> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if ((await ctx.logCount()) >= n) return performance.now()
    if (Date.now() > deadline) throw new Error(`the log did not reach ${n} messages in ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const median = (xs: ReadonlyArray<number>): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export const perSecond = (n: number, ms: number): number => Math.round(n / (ms / 1000))

export { barEntries, Effect }
