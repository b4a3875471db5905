/**
 * `minutebar project`: only the projection (the log -> ClickHouse tables), against NATS_URL and
 * CLICKHOUSE_URL or CHDB_PATH. On chDB it must be the only process on that data path.
 */
import { Console, Effect, Layer, Option } from "effect"
import { Command } from "effect/cli"
import { describeTarget } from "../adapters/clickhouse/clickhouse.ts"
import { loadSettings } from "../config/config-provider.ts"
import { runProjection } from "../pipelines/projection.ts"
import { projectionOptions, projectionWarning } from "./projection-options.ts"
import { clickhouseLayer, clickhouseTarget, natsLayer } from "./system-layer.ts"

export const projectCommand = Command.make("project", {}, () =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const natsUrl = yield* Option.match(s.natsUrl, {
      onNone: () =>
        Effect.fail(new Error("NATS_URL is not set: `project` runs against an existing NATS server")),
      onSome: Effect.succeed,
    })
    yield* Console.error(`projection: ${describeTarget(clickhouseTarget(s))}`)
    const warning = projectionWarning(s)
    if (warning !== undefined) yield* Console.error(`warning: ${warning}`)
    yield* runProjection(projectionOptions(s)).pipe(
      Effect.provide(Layer.mergeAll(natsLayer(s, { natsUrl }), clickhouseLayer(s))),
    )
  }),
).pipe(
  Command.withDescription(
    "Run only the projection: JetStream bar and reference events -> bars_1m, bars_5m, bars_30m, bars_1d, instrument_ref. " +
      "PROJECTION_EXCHANGES=SH (or SZ,BJ) writes only those exchanges, so several processes share the market",
  ),
)
