/**
 * The one place that chooses table engines. Migrations name a role (`{{replacing:rev}}`, `{{log}}`);
 * the single-node variant (chDB or one server) and the cluster variant (replicated engines) fill it in.
 */

export type EngineVariant = "single" | "cluster"

const ENGINE_PLACEHOLDER = /\{\{(replacing|log)(?::(\w+))?\}\}/g

const single = (role: string, arg: string | undefined): string =>
  role === "replacing" ? `ReplacingMergeTree(${arg ?? ""})` : "MergeTree"

// {shard}/{replica} come from each server's macros; the path keeps one replica set per table.
const cluster = (role: string, arg: string | undefined): string => {
  const path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'"
  return role === "replacing"
    ? `ReplicatedReplacingMergeTree(${path}${arg === undefined ? "" : `, ${arg}`})`
    : `ReplicatedMergeTree(${path})`
}

export const renderEngines = (sql: string, variant: EngineVariant): string =>
  sql.replace(ENGINE_PLACEHOLDER, (_, role: string, arg: string | undefined) =>
    variant === "single" ? single(role, arg) : cluster(role, arg),
  )
