import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { Layer, ManagedRuntime, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BarStore } from "../../src/adapters/clickhouse/bar-store.ts"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import { projectionConsumers } from "../../src/pipelines/projection.ts"
import { consumerState, waitDrained } from "../support/consumer-drained.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { BAR_TABLES, comparable, projectionFixture, tableBars } from "./projection-fixture.ts"

const startProjection = (servers: TestServers, env: Record<string, string>): ChildProcess =>
  spawn(process.execPath, ["src/main.ts", "project"], {
    env: {
      ...process.env,
      ...env,
      NATS_URL: servers.natsUrl,
      CHDB_PATH: join(servers.dir, "clickhouse"),
      PROJECTION_BATCH: "150",
      PROJECTION_FLUSH_MS: "20",
      PROJECTION_ACK_WAIT_MS: "1500",
    },
    stdio: "ignore",
  })

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once("exit", () => resolve()))

const VARIANTS = [
  { projection: "of the whole market", env: {}, watched: "projection", durables: ["projection"] },
  {
    // Six durables merged into one stream of batches: each message is still acked only after its rows are in.
    projection: "of every exchange on durables of their own",
    env: { PROJECTION_EXCHANGES: "SH,SZ,BJ" },
    watched: "projection-SZ",
    durables: projectionConsumers({ durable: "projection", exchanges: ["SH", "SZ", "BJ"] }).map(
      (c) => c.durable,
    ),
  },
]

describe.each(VARIANTS)(
  "projection $projection killed with SIGKILL mid-batch",
  ({ env, watched, durables }) => {
    const fixture = projectionFixture()
    let servers: TestServers

    beforeAll(async () => {
      servers = await startServers()
    })
    afterAll(async () => {
      await servers.stop()
    })

    it("restarts from the log and still holds exactly the expected bars in every table", async () => {
      const log = ManagedRuntime.make(
        MarketLog.layer({
          url: Redacted.make(servers.natsUrl),
          stream: "MARKET",
          retentionDays: 30,
          duplicateWindowMs: 600_000,
        }),
      )
      await log.runPromise(MarketLog.use((l) => l.publish(fixture.publications)))
      await log.dispose()
      const total = fixture.publications.length
      // Three kills at growing depths into the log, each while a batch is in flight or just written.
      for (const depth of [0.2, 0.5, 0.8]) {
        const child = startProjection(servers, env)
        for (;;) {
          // Stream sequences: the log holds only the fixture, so a floor of total * depth is that far in.
          const s = await consumerState(servers.natsUrl, watched)
          if (s !== undefined && s.acked >= total * depth) break
          await new Promise((r) => setTimeout(r, 5))
        }
        child.kill("SIGKILL")
        await exited(child)
      }
      const last = startProjection(servers, env)
      for (const durable of durables) await waitDrained(servers.natsUrl, durable)
      last.kill("SIGTERM")
      await exited(last)

      const ch = ManagedRuntime.make(
        BarStore.layer.pipe(
          Layer.provideMerge(ClickHouse.layer({ _tag: "Embedded", path: join(servers.dir, "clickhouse") })),
        ),
      )
      for (const [period, table] of BAR_TABLES) {
        const rows = await ch.runPromise(tableBars(table))
        expect(comparable(rows), table).toEqual(comparable(fixture.expected(period)))
      }
      await ch.dispose()
    })
  },
)
