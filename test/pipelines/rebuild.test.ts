import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { rebuild } from "../../src/pipelines/rebuild.ts"
import { testSystem } from "../support/runtime.ts"
import { BAR_TABLES, comparable, projectAll, projectionFixture, tableBars } from "./projection-fixture.ts"

describe("rebuild: re-project the log into fresh tables and switch over", () => {
  const fixture = projectionFixture()
  const system = testSystem()
  beforeAll(() => projectAll(system.runtime, system.servers, fixture.publications))

  const damage = ClickHouse.use((ch) =>
    Effect.all([
      ch.command("TRUNCATE TABLE bars_5m"),
      ch.command("ALTER TABLE bars_1d DELETE WHERE symbol = '000001.SZ' SETTINGS mutations_sync = 1"),
    ]),
  )

  it("tables damaged after the fact are whole again after a rebuild", async () => {
    await system.runtime.runPromise(damage)
    expect(await system.runtime.runPromise(tableBars("bars_5m"))).toEqual([])
    await system.runtime.runPromise(rebuild({ batchSize: 700 }))
    for (const [period, table] of BAR_TABLES) {
      expect(comparable(await system.runtime.runPromise(tableBars(table))), table).toEqual(
        comparable(fixture.expected(period)),
      )
    }
  })

  it("--from keeps the days before it and re-projects the rest", async () => {
    await system.runtime.runPromise(rebuild({ batchSize: 700, from: "2018-01-03" }))
    for (const [period, table] of BAR_TABLES) {
      expect(comparable(await system.runtime.runPromise(tableBars(table))), table).toEqual(
        comparable(fixture.expected(period)),
      )
    }
    const leftovers = await system.runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{ name: string }>("SELECT name FROM system.tables WHERE name LIKE '%__rebuild'"),
      ),
    )
    expect(leftovers).toEqual([])
  })
})
