/**
 * Raw ceilings measured in the same run as the end-to-end benchmark: Redis XADD, JetStream publish (the
 * client's `js.publish`, and the PubAck path the relay uses), chDB insert.
 */
import { join } from "node:path"
import { createClient } from "@clickhouse/client"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { createChdbConnection } from "chdb/connection"
import { Redis } from "ioredis"
import { makePubAckPublisher } from "../src/adapters/nats/pub-ack-publisher.ts"
import { startServers } from "../test/support/servers.ts"

const sampleBar = (i: number) =>
  JSON.stringify({
    symbol: `${String(600000 + (i % 5000)).padStart(6, "0")}.SH`,
    period: "1m",
    frame: `2024-03-05 ${String(9 + Math.floor((i / 5000) % 4)).padStart(2, "0")}:${String(Math.floor(i / 5000) % 60).padStart(2, "0")}:00`,
    open: 10.01,
    high: 10.05,
    low: 9.99,
    close: 10.02,
    vol: 12_300,
    amount: 123_456.78,
    rev: 0,
  })

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000))

const xaddCeiling = async (url: string, n: number) => {
  const redis = new Redis(url)
  const t0 = performance.now()
  for (let i = 0; i < n; i += 1000) {
    const p = redis.pipeline()
    for (let j = i; j < Math.min(n, i + 1000); j++)
      p.xadd("ceiling", "*", "type", "bar", "data", sampleBar(j))
    await p.exec()
  }
  const ms = performance.now() - t0
  await redis.quit()
  return rate(n, ms)
}

const publishCeiling = async (url: string, n: number) => {
  const nc = await connect({ servers: url })
  await (await jetstreamManager(nc)).streams.add({ name: "CEILING", subjects: ["ceiling.>"] })
  const js = jetstream(nc)
  const enc = new TextEncoder()
  const t0 = performance.now()
  for (let i = 0; i < n; i += 1000) {
    const acks = []
    for (let j = i; j < Math.min(n, i + 1000); j++)
      acks.push(js.publish(`ceiling.${j % 5000}`, enc.encode(sampleBar(j)), { msgID: `c${j}` }))
    await Promise.all(acks)
  }
  const ms = performance.now() - t0
  await nc.close()
  return rate(n, ms)
}

/**
 * The path the relay publishes by (pub-ack-publisher.ts: one reply subscription for all PubAcks): parts of
 * 250, 16 in flight, as a relay with RELAY_BATCH 1,000 and RELAY_IN_FLIGHT 4 has them.
 */
const pubAckCeiling = async (url: string, n: number) => {
  const nc = await connect({ servers: url })
  await (await jetstreamManager(nc)).streams.add({ name: "PUBACKS", subjects: ["pubacks.>"] })
  const publisher = makePubAckPublisher(nc, { stream: "PUBACKS", timeoutMs: 30_000 })
  const enc = new TextEncoder()
  const t0 = performance.now()
  for (let i = 0; i < n; i += 4_000) {
    const parts = []
    for (let p = i; p < Math.min(n, i + 4_000); p += 250)
      parts.push(
        publisher.publish(
          Array.from({ length: Math.min(250, n - p) }, (_, k) => ({
            subject: `pubacks.${(p + k) % 5000}`,
            id: `p${p + k}`,
            data: enc.encode(sampleBar(p + k)),
          })),
        ),
      )
    await Promise.all(parts)
  }
  const ms = performance.now() - t0
  await nc.close()
  return rate(n, ms)
}

const insertCeiling = async (dir: string, n: number) => {
  const ch = createClient({ connection: createChdbConnection({ path: join(dir, "ch") }) as never })
  await ch.command({
    query:
      "CREATE TABLE ceiling (symbol LowCardinality(String), frame DateTime('Asia/Shanghai'), open Float64, high Float64, low Float64, close Float64, vol Float64, amount Float64, rev UInt32) ENGINE = ReplacingMergeTree(rev) ORDER BY (symbol, frame)",
  })
  const columns = ["symbol", "frame", "open", "high", "low", "close", "vol", "amount", "rev"] as const
  const rows = Array.from({ length: n }, (_, i) => {
    const bar = JSON.parse(sampleBar(i)) as Record<string, unknown>
    return columns.map((c) => bar[c])
  })
  const t0 = performance.now()
  // The format the projection inserts in (ClickHouse.insert).
  for (let i = 0; i < n; i += 50_000)
    await ch.insert({ table: "ceiling", values: rows.slice(i, i + 50_000), format: "JSONCompactEachRow" })
  const ms = performance.now() - t0
  await ch.close()
  return rate(n, ms)
}

export const measureCeilings = async (n: number) => {
  const servers = await startServers()
  try {
    const redis_xadd_ceiling_per_s = await xaddCeiling(servers.redisUrl, n)
    const jetstream_publish_ceiling_per_s = await publishCeiling(servers.natsUrl, n)
    const jetstream_pubacks_ceiling_per_s = await pubAckCeiling(servers.natsUrl, n)
    const chdb_insert_ceiling_rows_per_s = await insertCeiling(servers.dir, n)
    return {
      redis_xadd_ceiling_per_s,
      jetstream_publish_ceiling_per_s,
      jetstream_pubacks_ceiling_per_s,
      chdb_insert_ceiling_rows_per_s,
    }
  } finally {
    await servers.stop()
  }
}
