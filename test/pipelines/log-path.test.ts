import { Effect, Fiber } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BarStore } from "../../src/adapters/clickhouse/bar-store.ts"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import { EventStream } from "../../src/adapters/redis/event-stream.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { runRelay } from "../../src/pipelines/relay.ts"
import { eventually, makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const bar = (symbol: string, minute: number, rev = 0): BarClosed =>
  ({
    symbol,
    period: "1m",
    frame: `2024-01-02 10:${String(minute).padStart(2, "0")}:00`,
    open: 10,
    high: 10.5 + rev,
    low: 9.5,
    close: 10.2,
    vol: 1000 + minute,
    amount: 10_200 * (1 + minute),
    rev,
  }) as BarClosed

const SYMBOLS = ["000001.SZ", "600519.SH", "430047.BJ"]

describe("the log path: Redis stream -> relay -> JetStream -> projection -> bars_1m", () => {
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  let fibers: Fiber.Fiber<unknown, unknown>[] = []

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    await runtime.runPromise(Effect.void)
    fibers = [
      runtime.runFork(
        runRelay({ group: "relay", consumer: "r1", batchSize: 100, blockMs: 200, claimIdleMs: 30_000 }),
      ),
      runtime.runFork(runProjection({ durable: "projection-1m", batchSize: 500, flushMs: 100 })),
    ]
  })

  afterAll(async () => {
    await Promise.all(fibers.map((f) => runtime.runPromise(Fiber.interrupt(f))))
    await runtime.dispose()
    await servers.stop()
  })

  const count = () => runtime.runPromise(BarStore.use((s) => s.count("1m")))

  it("every bar appended to Redis lands once in bars_1m, the highest revision winning", async () => {
    const bars = SYMBOLS.flatMap((s) => Array.from({ length: 30 }, (_, m) => bar(s, m)))
    const entries = bars.map((b) => ({ type: "bar", data: JSON.stringify(b) }))
    // A duplicate and a revision: neither may add a row.
    entries.push({ type: "bar", data: JSON.stringify(bars[0]) })
    entries.push({ type: "bar", data: JSON.stringify(bar("000001.SZ", 1, 1)) })
    await runtime.runPromise(EventStream.use((r) => r.append(entries)))
    await eventually(async () => (await count()) === 90, 30_000, "90 rows")
    const rows = await runtime.runPromise(
      BarStore.use((s) =>
        s.read({
          symbol: "000001.SZ",
          period: "1m",
          start: "2024-01-02 10:01:00",
          end: "2024-01-02 10:01:00",
          limit: 10,
        }),
      ),
    )
    expect(rows).toMatchObject([{ frame: "2024-01-02 10:01:00", rev: 1, high: 11.5 }])
  })

  it("a malformed Redis entry goes to the dead-letter stream with its reason and the relay goes on", async () => {
    await runtime.runPromise(
      EventStream.use((r) =>
        r.append([
          { type: "bar", data: '{"symbol":"000001.SZ","frame":"bad"}' },
          { type: "bar", data: JSON.stringify(bar("000001.SZ", 40)) },
        ]),
      ),
    )
    await eventually(async () => (await count()) === 91, 30_000, "the good bar after the bad one")
    const { Redis } = await import("ioredis")
    const redis = new Redis(servers.redisUrl)
    const dead = (await redis.xrange("minutebar:events:dead", "-", "+")) as [string, string[]][]
    await redis.quit()
    expect(dead).toHaveLength(1)
    expect(dead[0]![1].join(" ")).toMatch(/bad bar: .*frame/)
  })

  it("a malformed JetStream message goes to dead_letters with its reason and the projection goes on", async () => {
    await runtime.runPromise(
      MarketLog.use((log) =>
        log.publish([
          { subject: "bars.1m.SZ.000001", id: "garbage-1", data: new TextEncoder().encode("{not json") },
          {
            subject: "bars.1m.SZ.000001",
            id: "ok-1",
            data: new TextEncoder().encode(JSON.stringify(bar("000001.SZ", 41))),
          },
        ]),
      ),
    )
    await eventually(async () => (await count()) === 92, 30_000, "the good bar after the garbage")
    const dead = await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{ stage: string; reason: string; payload: string }>(
          "SELECT stage, reason, payload FROM dead_letters",
        ),
      ),
    )
    expect(dead).toHaveLength(1)
    expect(dead[0]).toMatchObject({ stage: "projection", payload: "{not json" })
    expect(dead[0]!.reason.length).toBeGreaterThan(5)
  })
})
