import { Effect, Fiber, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { BarQueries } from "../../src/adapters/clickhouse/bar-queries.ts"
import { BarStore } from "../../src/adapters/clickhouse/bar-store.ts"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import type { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { EventStream } from "../../src/adapters/redis/event-stream.ts"
import { simulatedQuoteEvents } from "../../src/adapters/simulator/simulated-quote-events.ts"
import { makeApp } from "../../src/http/app.ts"
import { runBarsToRedis } from "../../src/pipelines/bars-to-redis.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { runRelay } from "../../src/pipelines/relay.ts"
import { eventually, makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const DAY = "2024-03-05"
const source = { seed: 7, day: DAY, symbols: 50, speed: "max" as const, from: "09:15", to: "10:00" }

describe("the whole pipeline on embedded parts: simulated QMT -> Redis -> JetStream -> chDB -> API", () => {
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  const fibers: Fiber.Fiber<unknown, unknown>[] = []

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    fibers.push(
      runtime.runFork(
        runRelay({ group: "relay", consumer: "r1", batchSize: 1000, blockMs: 200, claimIdleMs: 30_000 }),
      ),
      runtime.runFork(runProjection({ durable: "projection-1m", batchSize: 1000, flushMs: 100 })),
    )
  })

  afterAll(async () => {
    await Promise.all(fibers.map((f) => runtime.runPromise(Fiber.interrupt(f))))
    await runtime.dispose()
    await servers.stop()
  })

  it("50 symbols x 30 market minutes at full speed become exactly 1,500 rows of bars_1m", async () => {
    const traded = new Set<string>()
    const events = simulatedQuoteEvents(source).pipe(
      Stream.tap((e) =>
        Effect.sync(() => {
          if (e._tag === "Ticks") for (const t of e.ticks) if (t.volume > 0) traded.add(t.symbol)
        }),
      ),
    )
    const { published } = await runtime.runPromise(runBarsToRedis(events, { graceMs: 3_000 }))
    expect(traded.size).toBe(50)
    expect(published).toBe(1_500)
    const count = () => runtime.runPromise(BarStore.use((s) => s.count("1m")))
    await eventually(async () => (await count()) >= 1_500, 60_000, "1,500 rows")
    expect(await count()).toBe(1_500)
    const frames = await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{ first: string; last: string; n: number }>(
          "SELECT toString(min(frame)) AS first, toString(max(frame)) AS last, uniqExact(frame) AS n FROM bars_1m FINAL",
        ),
      ),
    )
    expect(frames).toEqual([{ first: `${DAY} 09:31:00`, last: `${DAY} 10:00:00`, n: 30 }])
  })

  it("the API returns a symbol's bars for a range, and names a bad parameter", async () => {
    const context = await runtime.runPromise(Effect.context<BarQueries | EventStream | MarketLog>())
    const app = makeApp({ run: Effect.runPromiseWith(context), probes: [] })
    const symbol = [
      ...(await runtime.runPromise(
        ClickHouse.use((ch) =>
          ch.query<{ symbol: string }>("SELECT DISTINCT symbol FROM bars_1m ORDER BY symbol LIMIT 1"),
        ),
      )),
    ][0]!.symbol
    const res = await app.request(`/api/bars?symbol=${symbol}&period=1m&start=${DAY} 09:31&end=${DAY} 09:40`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { bars: { frame: string }[] }
    expect(body.bars.map((b) => b.frame)).toEqual(
      Array.from({ length: 10 }, (_, i) => `${DAY} 09:${String(31 + i).padStart(2, "0")}:00`),
    )
    const bad = await app.request(`/api/bars?symbol=${symbol}&period=2m`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: "bad_parameter", param: "period" } })
  })
})
