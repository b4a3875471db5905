import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { rebuild } from "../../src/pipelines/rebuild.ts"
import { makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { BAR_TABLES, comparable, projectAll, projectionFixture, tableBars } from "./projection-fixture.ts"

describe("rebuild: re-project the log into fresh tables and switch over", () => {
  const fixture = projectionFixture()
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    await projectAll(runtime, servers, fixture.publications)
  })
  afterAll(async () => {
    await runtime.dispose()
    await servers.stop()
  })

  const damage = ClickHouse.use((ch) =>
    Effect.all([
      ch.command("TRUNCATE TABLE bars_5m"),
      ch.command("ALTER TABLE bars_1d DELETE WHERE symbol = '000001.SZ' SETTINGS mutations_sync = 1"),
    ]),
  )

  it("tables damaged after the fact are whole again after a rebuild", async () => {
    await runtime.runPromise(damage)
    expect(await runtime.runPromise(tableBars("bars_5m"))).toEqual([])
    await runtime.runPromise(rebuild({ batchSize: 700 }))
    for (const [period, table] of BAR_TABLES) {
      expect(comparable(await runtime.runPromise(tableBars(table))), table).toEqual(
        comparable(fixture.expected(period)),
      )
    }
  })

  it("--from keeps the days before it and re-projects the rest", async () => {
    await runtime.runPromise(rebuild({ batchSize: 700, from: "2018-01-03" }))
    for (const [period, table] of BAR_TABLES) {
      expect(comparable(await runtime.runPromise(tableBars(table))), table).toEqual(
        comparable(fixture.expected(period)),
      )
    }
    const leftovers = await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{ name: string }>("SELECT name FROM system.tables WHERE name LIKE '%__rebuild'"),
      ),
    )
    expect(leftovers).toEqual([])
  })
})
