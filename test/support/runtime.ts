/** A ManagedRuntime over the real adapters (Redis, JetStream, chDB) for a test file. */
import { join } from "node:path"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { afterAll, beforeAll } from "vitest"
import { BarQueries } from "../../src/adapters/clickhouse/bar-queries.ts"
import { BarStore } from "../../src/adapters/clickhouse/bar-store.ts"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { migrate } from "../../src/adapters/clickhouse/migrations.ts"
import { ProjectionStore } from "../../src/adapters/clickhouse/projection-store.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import { EventStream } from "../../src/adapters/redis/event-stream.ts"
import type { TestServers } from "./servers.ts"
import { testServers } from "./test-servers.ts"

export const systemLayer = (servers: TestServers, opts: { stream?: string; natsStream?: string } = {}) => {
  const clickhouse = ClickHouse.layer({ _tag: "Embedded", path: join(servers.dir, "clickhouse") })
  return Layer.mergeAll(
    EventStream.layer({ url: Redacted.make(servers.redisUrl), stream: opts.stream ?? "minutebar:events" }),
    MarketLog.layer({
      url: Redacted.make(servers.natsUrl),
      stream: opts.natsStream ?? "MARKET",
      retentionDays: 30,
      duplicateWindowMs: 600_000,
    }),
    Layer.effectDiscard(migrate()).pipe(
      Layer.provideMerge(Layer.mergeAll(BarStore.layer, BarQueries.layer, ProjectionStore.layer)),
      Layer.provideMerge(clickhouse),
    ),
  )
}

export const makeTestRuntime = (servers: TestServers) => ManagedRuntime.make(systemLayer(servers))

/** Private servers and a runtime over them for a describe block: started before its tests, stopped after. */
export const testSystem = () => {
  const servers = testServers()
  let runtime: ReturnType<typeof makeTestRuntime> | undefined
  beforeAll(() => {
    runtime = makeTestRuntime(servers())
  })
  afterAll(async () => {
    await runtime?.dispose()
  })
  return {
    get servers(): TestServers {
      return servers()
    },
    get runtime(): ReturnType<typeof makeTestRuntime> {
      if (runtime === undefined) throw new Error("the runtime starts in beforeAll")
      return runtime
    },
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export const eventually = async (check: () => Promise<boolean>, timeoutMs = 30_000, what = "condition") => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export { Effect }
