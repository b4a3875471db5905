/**
 * `minutebar relay`: only the relay (Redis stream -> JetStream) against REDIS_URL and NATS_URL, without
 * ClickHouse, so it runs as its own process: several on one stream share the work, and one killed at any
 * moment loses nothing (its unacked entries are re-published at its restart or claimed by another relay).
 */
import { Console, Effect, Layer, Option } from "effect"
import { Command } from "effect/cli"
import { loadSettings } from "../config/config-provider.ts"
import type { Settings } from "../config/settings.ts"
import { runRelay } from "../pipelines/relay.ts"
import { relayOptions } from "./relay-options.ts"
import { natsLayer, redisLayer } from "./system-layer.ts"

class MissingUrl extends Error {
  override readonly name = "MissingUrl"
}

/** The relay joins servers others run: an embedded server of its own would bridge nothing. */
const serverUrls = (s: Settings) =>
  Option.all({ redisUrl: s.redisUrl, natsUrl: s.natsUrl }).pipe(
    Option.match({
      onNone: () =>
        Effect.fail(
          new MissingUrl(
            "minutebar relay needs REDIS_URL and NATS_URL (the embedded servers belong to `minutebar up`)",
          ),
        ),
      onSome: Effect.succeed,
    }),
  )

export const relayCommand = Command.make("relay", {}, () =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const urls = yield* serverUrls(s)
    yield* Console.error(
      `relay ${s.relayConsumer} (group ${s.relayGroup}): Redis ${s.redisStream} -> JetStream ${s.natsStream}`,
    )
    yield* runRelay(relayOptions(s)).pipe(
      Effect.provide(Layer.mergeAll(redisLayer(s, urls), natsLayer(s, urls))),
    )
  }),
).pipe(
  Command.withDescription(
    "Run only the relay, Redis stream (REDIS_URL, REDIS_STREAM) -> JetStream (NATS_URL, NATS_STREAM); " +
      "SIGTERM finishes the batches in flight. RELAY_GROUP, RELAY_CONSUMER, RELAY_BATCH, RELAY_IN_FLIGHT",
  ),
)
