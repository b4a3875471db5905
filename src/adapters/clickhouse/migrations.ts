/**
 * Versioned SQL migrations (migrations/NNNN_name.sql), applied in order and recorded in
 * `schema_migrations`; applying again skips what is recorded, and every statement is IF NOT EXISTS.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { ClickHouse } from "./clickhouse.ts"
import { type EngineVariant, renderEngines } from "./table-engines.ts"

export const MIGRATIONS_DIR = join(import.meta.dirname, "../../../migrations")

export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

const splitStatements = (sql: string): string[] =>
  sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

export const loadMigrations = (dir: string, variant: EngineVariant): Migration[] =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      statements: splitStatements(renderEngines(readFileSync(join(dir, file), "utf8"), variant)),
    }))

/** Applies the migrations not yet recorded; returns the names applied now. */
export const migrate = Effect.fn("migrate")(function* (
  variant: EngineVariant = "single",
  dir = MIGRATIONS_DIR,
) {
  const ch = yield* ClickHouse
  yield* ch.command(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime DEFAULT now()) " +
      "ENGINE = ReplacingMergeTree ORDER BY version",
  )
  const done = new Set(
    (yield* ch.query<{ version: number }>("SELECT version FROM schema_migrations FINAL")).map(
      (r) => r.version,
    ),
  )
  const applied: string[] = []
  for (const m of loadMigrations(dir, variant)) {
    if (done.has(m.version)) continue
    for (const statement of m.statements) yield* ch.command(statement)
    yield* ch.insert("schema_migrations", [{ version: m.version, name: m.name }])
    applied.push(`${String(m.version).padStart(4, "0")}_${m.name}`)
  }
  return applied
})
