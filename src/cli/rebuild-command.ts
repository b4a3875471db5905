/**
 * `minutebar rebuild [--from DATE]`: re-project the log into fresh tables and switch over. On embedded chDB it
 * needs the data path to itself (stop `minutebar up` first); with NATS_URL unset it starts the private
 * nats-server of DATA_DIR.
 */
import { Console, Effect, Layer, Option, Redacted } from "effect"
import { Command, Flag } from "effect/cli"
import { embeddedServers } from "../adapters/process/embedded-servers.ts"
import { loadSettings } from "../config/config-provider.ts"
import { rebuild } from "../pipelines/rebuild.ts"
import { makeProgress } from "./progress.ts"
import { clickhouseLayer, natsLayer } from "./system-layer.ts"

export const rebuildCommand = Command.make(
  "rebuild",
  {
    from: Flag.String("from").pipe(
      Flag.withDescription("YYYY-MM-DD: keep rows before this day, re-project the log from it on"),
      Flag.optional,
    ),
  },
  ({ from }) =>
    Effect.gen(function* () {
      const s = yield* loadSettings
      // Only NATS is needed; a configured Redis URL keeps embeddedServers from starting a private one.
      const urls = yield* embeddedServers({ ...s, redisUrl: Option.some(Redacted.make("unused")) })
      const result = yield* rebuild({
        ...(Option.isSome(from) ? { from: from.value } : {}),
        batchSize: Math.max(s.projectionBatch, 10_000),
        onProgress: makeProgress("rebuild"),
      }).pipe(Effect.provide(Layer.mergeAll(natsLayer(s, urls), clickhouseLayer(s))))
      yield* Console.log(
        `rebuilt through log sequence ${result.projectedThrough}` +
          (result.tail > 0 ? ` (${result.tail} messages that arrived meanwhile projected again)` : ""),
      )
    }).pipe(Effect.scoped),
).pipe(
  Command.withDescription(
    "Re-project the JetStream log into fresh bars_1m/5m/30m/1d and instrument_ref tables, then switch over " +
      "(stop `minutebar up` first when on embedded chDB)",
  ),
)
