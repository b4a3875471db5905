import { rmSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { afterAll } from "vitest"
import { ClickHouse } from "../../../src/adapters/clickhouse/clickhouse.ts"
import { loadMigrations, MIGRATIONS_DIR, migrate } from "../../../src/adapters/clickhouse/migrations.ts"
import { tempDir } from "../../support/servers.ts"

const statementsOf = (variant: "single" | "cluster") =>
  loadMigrations(MIGRATIONS_DIR, variant, { cluster: "minutebar", database: "market" }).flatMap(
    (m) => m.statements,
  )

const dir = tempDir("table-engines")
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const chdb = ClickHouse.layer({ _tag: "Embedded", path: join(dir, "clickhouse") })

describe("table engines", () => {
  it("the single variant renders ReplacingMergeTree, with no cluster clause and no Distributed table", () => {
    const sql = statementsOf("single").join(";\n")
    expect(sql).toContain("ENGINE = ReplacingMergeTree(rev)")
    expect(sql).toContain("ENGINE = ReplacingMergeTree(version)")
    expect(sql).not.toMatch(/Replicated|ON CLUSTER|Distributed|\{\{/)
    expect(sql).toContain("CREATE TABLE IF NOT EXISTS bars_1m (")
  })

  it("the cluster variant renders replicated engines, ON CLUSTER on every CREATE, and <table>_all tables", () => {
    const statements = statementsOf("cluster")
    const sql = statements.join(";\n")
    expect(sql).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', rev)",
    )
    expect(sql).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')",
    )
    expect(sql).not.toMatch(/ENGINE = (Replacing)?MergeTree|\{\{/)
    for (const s of statements.filter((s) => s.startsWith("CREATE")))
      expect(s, s.slice(0, 60)).toContain(" ON CLUSTER 'minutebar' ")
    for (const table of ["bars_1m", "bars_5m", "bars_30m", "bars_1d", "instrument_ref"])
      expect(sql).toContain(
        `CREATE TABLE IF NOT EXISTS \`market\`.${table}_all ON CLUSTER 'minutebar' AS \`market\`.${table}\n` +
          `ENGINE = Distributed('minutebar', \`market\`, ${table}, cityHash64(symbol))`,
      )
  })

  it.effect("every statement of the cluster variant is valid ClickHouse SQL", () =>
    Effect.gen(function* () {
      const ch = yield* ClickHouse
      for (const q of statementsOf("cluster")) {
        // formatQuery parses without running: a cluster's DDL cannot run on chDB, its syntax can be checked.
        const [row] = yield* ch.query<{ f: string }>("SELECT formatQuery({q:String}) AS f", { q })
        expect(row?.f.length ?? 0, q.slice(0, 60)).toBeGreaterThan(0)
      }
    }).pipe(Effect.provide(chdb)),
  )

  it.effect("the single variant applies on chDB, and applying again changes nothing", () =>
    Effect.gen(function* () {
      const all = loadMigrations(MIGRATIONS_DIR, "single").map(
        (m) => `${String(m.version).padStart(4, "0")}_${m.name}`,
      )
      expect(all).toContain("0001_intraday_bars")
      expect(yield* migrate()).toEqual(all)
      expect(yield* migrate()).toEqual([])
      const ch = yield* ClickHouse
      const engines = yield* ch.query<{ name: string; engine: string }>(
        "SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name LIKE 'bars_%'",
      )
      expect(new Set(engines.map((t) => t.engine))).toEqual(new Set(["ReplacingMergeTree"]))
    }).pipe(Effect.provide(chdb)),
  )
})
