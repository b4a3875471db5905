/**
 * Versioned SQL migrations (migrations/NNNN_name.sql), applied in order and recorded in
 * `schema_migrations`; applying again skips what is recorded, and every statement is IF NOT EXISTS.
 * The cluster variant also applies migrations/cluster/NNNN_name.sql (Distributed tables) after them.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { ClickHouse } from "./clickhouse.ts"
import {
  type ClusterNames,
  DEFAULT_CLUSTER_NAMES,
  type EngineVariant,
  renderEngines,
} from "./table-engines.ts"

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

const loadDir = (dir: string, variant: EngineVariant, names: ClusterNames): Migration[] =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      statements: splitStatements(renderEngines(readFileSync(join(dir, file), "utf8"), variant, names)),
    }))

export const loadMigrations = (
  dir: string,
  variant: EngineVariant,
  names: ClusterNames = DEFAULT_CLUSTER_NAMES,
): Migration[] => {
  const all = [
    ...loadDir(dir, variant, names),
    ...(variant === "cluster" ? loadDir(join(dir, "cluster"), variant, names) : []),
  ]
  const seen = new Set<number>()
  for (const m of all) {
    if (seen.has(m.version)) throw new Error(`migration version ${m.version} appears twice in ${dir}`)
    seen.add(m.version)
  }
  return all
}

// On a cluster the ledger is replicated to every server, so a start on any of them sees what was applied.
const LEDGER =
  "CREATE TABLE IF NOT EXISTS schema_migrations{{on_cluster}} " +
  "(version UInt32, name String, applied_at DateTime DEFAULT now()) " +
  "ENGINE = {{replacing_everywhere}} ORDER BY version"

export interface MigrateOptions {
  readonly dir?: string
  /** The cluster's name in `remote_servers` (CLICKHOUSE_CLUSTER); only the cluster variant uses it. */
  readonly cluster?: string
}

/** Applies the migrations not yet recorded; returns the names applied now. */
export const migrate = Effect.fn("migrate")(function* (
  variant: EngineVariant = "single",
  options: MigrateOptions = {},
) {
  const ch = yield* ClickHouse
  // Distributed tables name their database: the connection's own, where the local tables are created.
  const database =
    variant === "single"
      ? DEFAULT_CLUSTER_NAMES.database
      : ((yield* ch.query<{ db: string }>("SELECT currentDatabase() AS db"))[0]?.db ?? "default")
  const names = { cluster: options.cluster ?? DEFAULT_CLUSTER_NAMES.cluster, database }
  yield* ch.command(renderEngines(LEDGER, variant, names))
  const done = new Set(
    (yield* ch.query<{ version: number }>("SELECT version FROM schema_migrations FINAL")).map(
      (r) => r.version,
    ),
  )
  const applied: string[] = []
  for (const m of loadMigrations(options.dir ?? MIGRATIONS_DIR, variant, names)) {
    if (done.has(m.version)) continue
    for (const statement of m.statements) yield* ch.command(statement)
    yield* ch.insert("schema_migrations", [{ version: m.version, name: m.name }])
    applied.push(`${String(m.version).padStart(4, "0")}_${m.name}`)
  }
  return applied
})
