/** `minutebar migrate`: applies the SQL migrations not yet recorded (also done at every start). */
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { ClickHouse, describeTarget } from "../adapters/clickhouse/clickhouse.ts"
import { migrate } from "../adapters/clickhouse/migrations.ts"
import { loadSettings } from "../config/config-provider.ts"
import { clickhouseTarget } from "./system-layer.ts"

export const migrateCommand = Command.make(
  "migrate",
  {
    cluster: Flag.Boolean("cluster").pipe(
      Flag.withDefault(false),
      Flag.withDescription(
        "Use replicated engines, ON CLUSTER and Distributed <table>_all tables (a ClickHouse cluster named " +
          "CLICKHOUSE_CLUSTER, default minutebar, with {shard}/{replica} macros)",
      ),
    ),
  },
  ({ cluster }) =>
    Effect.gen(function* () {
      const s = yield* loadSettings
      const target = clickhouseTarget(s)
      const applied = yield* migrate(cluster ? "cluster" : "single", { cluster: s.clickhouseCluster }).pipe(
        Effect.provide(ClickHouse.layer(target)),
      )
      yield* Console.log(
        applied.length === 0
          ? `${describeTarget(target)}: up to date`
          : `${describeTarget(target)}: applied ${applied.join(", ")}`,
      )
    }),
).pipe(Command.withDescription("Apply the versioned SQL migrations in migrations/ (idempotent)"))
