/**
 * The one place that chooses table engines. Migrations name a role (`{{replacing:rev}}`, `{{log}}`);
 * the single-node variant (chDB or one server) and the cluster variant (replicated engines) fill it in.
 * For a cluster, `{{on_cluster}}` makes DDL run on every server, and `{{cluster}}` / `{{database}}` name
 * the cluster and database for Distributed tables; on a single node `{{on_cluster}}` renders to nothing.
 */

export type EngineVariant = "single" | "cluster"

/** The cluster of the servers' `remote_servers` (CLICKHOUSE_CLUSTER), and the database the tables are in. */
export interface ClusterNames {
  readonly cluster: string
  readonly database: string
}

export const DEFAULT_CLUSTER_NAMES: ClusterNames = { cluster: "minutebar", database: "default" }

const PLACEHOLDER = /\{\{(replacing|replacing_everywhere|log|on_cluster|cluster|database)(?::(\w+))?\}\}/g

const literal = (s: string): string => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`
const identifier = (s: string): string => `\`${s.replaceAll("`", "``")}\``

const single = (role: string, arg: string | undefined): string =>
  role === "log" ? "MergeTree" : `ReplacingMergeTree(${arg ?? ""})`

// {shard}/{replica} come from each server's macros. A table's replicas share one path per shard; a table
// "everywhere" (the migrations ledger) has one path for the whole cluster, so every server holds all of it.
const cluster = (role: string, arg: string | undefined): string => {
  const shard = role === "replacing_everywhere" ? "all" : "{shard}"
  const path = `'/clickhouse/tables/${shard}/{database}/{table}', '{replica}'`
  return role === "log"
    ? `ReplicatedMergeTree(${path})`
    : `ReplicatedReplacingMergeTree(${path}${arg === undefined ? "" : `, ${arg}`})`
}

export const renderEngines = (
  sql: string,
  variant: EngineVariant,
  names: ClusterNames = DEFAULT_CLUSTER_NAMES,
): string =>
  sql.replace(PLACEHOLDER, (_, role: string, arg: string | undefined) => {
    switch (role) {
      case "on_cluster":
        return variant === "single" ? "" : ` ON CLUSTER ${literal(names.cluster)}`
      case "cluster":
        return literal(names.cluster)
      case "database":
        return identifier(names.database)
      default:
        return variant === "single" ? single(role, arg) : cluster(role, arg)
    }
  })
