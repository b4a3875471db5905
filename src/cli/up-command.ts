/**
 * `minutebar up`: the whole system in one process on embedded defaults (chDB allows one process per data
 * path): private Redis and NATS when no URLs are set, the simulated QMT source and the relay (each on a thread
 * of its own, see part-thread.ts), the projection and the API with its latest-bar view (on the main thread).
 */
import { Cause, Console, Deferred, Effect, Option, Redacted } from "effect"
import { Command, Flag } from "effect/cli"
import type { BarQueries } from "../adapters/clickhouse/bar-queries.ts"
import { ClickHouse, describeTarget } from "../adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../adapters/nats/market-log.ts"
import type { NatsClient } from "../adapters/nats/nats-client.ts"
import { embeddedServers } from "../adapters/process/embedded-servers.ts"
import { EventStream } from "../adapters/redis/event-stream.ts"
import { loadSettings } from "../config/config-provider.ts"
import type { Settings } from "../config/settings.ts"
import { apiParts, apiPartsLayer } from "../http/api-parts.ts"
import { makeApp } from "../http/app.ts"
import { serveScoped } from "../http/http-server.ts"
import { runProjection } from "../pipelines/projection.ts"
import { makeRelayedFacts } from "../pipelines/relayed-facts.ts"
import { followsExchangeClock, planSimulation } from "../pipelines/simulation-plan.ts"
import { runOnThread } from "./part-thread.ts"
import { projectionOptions, projectionWarning } from "./projection-options.ts"
import { clickhouseTarget, systemLayer } from "./system-layer.ts"
import { makeThreadCpu } from "./thread-cpu.ts"

const services = Effect.gen(function* () {
  const redis = yield* EventStream
  const log = yield* MarketLog
  const ch = yield* ClickHouse
  const context = yield* Effect.context<EventStream | MarketLog | ClickHouse | BarQueries>()
  return { redis, log, ch, run: Effect.runPromiseWith(context) }
})

const runSystem = (s: Settings, simulate: boolean) =>
  Effect.gen(function* () {
    const urls = yield* embeddedServers(s)
    // The latest-bar view takes new bars from this process' relay only when that relay is the only one: with
    // an embedded Redis. On a Redis of its own (REDIS_URL) other relays share the consumer group and take
    // part of the stream, so the view reads the log, where every relay's bars are.
    const relayed = Option.isNone(s.redisUrl) ? yield* makeRelayedFacts : undefined
    yield* Console.error(`clickhouse: ${describeTarget(clickhouseTarget(s))}`)
    const warning = projectionWarning(s)
    if (warning !== undefined) yield* Console.error(`warning: ${warning}`)
    yield* Effect.gen(function* () {
      const { redis, log, ch, run } = yield* services
      // A part that fails (not one that is stopped) stops the whole system with its error.
      const failed = yield* Deferred.make<never, unknown>()
      const failTheSystem = <A, E, R>(part: Effect.Effect<A, E, R>) =>
        part.pipe(
          Effect.onError((cause) =>
            Cause.hasInterruptsOnly(cause) ? Effect.void : Deferred.failCause(failed, cause),
          ),
        )
      const now = Date.now()
      const plan = simulate
        ? planSimulation(now, s.simSpeed, Option.getOrUndefined(s.simDay), Option.getOrUndefined(s.simFrom))
        : undefined
      // A replayed day has its own clock: "no new bar in trading hours" says nothing about it.
      const api = yield* apiParts(s, {
        freshness: s.healthFreshness && (plan === undefined || followsExchangeClock(plan, now)),
      })
      const nats = yield* Effect.context<NatsClient>()
      const threadCpu = makeThreadCpu()
      const app = makeApp({
        run,
        probes: [
          { name: "redis", check: redis.ping },
          { name: "nats", check: log.ping },
          { name: "clickhouse", check: ch.ping },
          ...api.probes,
        ],
        log: (line) => console.error(line),
        live: api.live,
        access: api.access,
        gauges: [...api.gauges, threadCpu.gauge],
        clients: Effect.runPromiseWith(nats),
      })
      yield* serveScoped(app, s.httpHost, s.httpPort)
      const threadUrls = { redisUrl: Redacted.value(urls.redisUrl), natsUrl: Redacted.value(urls.natsUrl) }
      yield* Effect.forkScoped(
        failTheSystem(
          runOnThread(
            { part: "relay", ...threadUrls, postRelayed: relayed !== undefined },
            {
              ...(relayed === undefined ? {} : { onRelayed: relayed.offer }),
              onCpu: (u) => threadCpu.record("relay", u),
            },
          ),
        ),
      )
      yield* Effect.forkScoped(failTheSystem(runProjection(projectionOptions(s))))
      if (plan !== undefined) {
        yield* Console.error(`simulated QMT source: ${s.simSymbols} symbols, ${plan.why}`)
        yield* Effect.forkScoped(
          failTheSystem(
            runOnThread(
              { part: "source", redisUrl: threadUrls.redisUrl, plan },
              { onCpu: (u) => threadCpu.record("source", u) },
            ),
          ),
        )
      }
      const host = s.httpHost === "0.0.0.0" ? "localhost" : s.httpHost
      yield* Console.log(
        `minutebar is up: http://${host}:${s.httpPort}/  (API: /api/bars?symbol=000001.SZ&period=1m, /health)`,
      )
      yield* Console.error("Ctrl-C stops it: in-flight batches are written and acked first.")
      return yield* Deferred.await(failed)
      // The inner scope closes first: pipelines stop (finishing their batch) before their clients close.
    }).pipe(
      Effect.scoped,
      Effect.provide(
        apiPartsLayer({
          natsUrl: urls.natsUrl,
          natsStream: s.natsStream,
          symbolsRefreshMs: s.symbolsRefreshMs,
          ...(relayed === undefined ? {} : { relayed }),
        }),
      ),
      Effect.provide(systemLayer(s, urls)),
    )
  }).pipe(Effect.scoped)

export const upCommand = Command.make(
  "up",
  {
    simulate: Flag.Boolean("no-simulator").pipe(
      Flag.withDefault(false),
      Flag.withDescription(
        "Do not run the simulated QMT source (bars come from a QMT adapter through Redis)",
      ),
    ),
  },
  ({ simulate: noSimulator }) =>
    Effect.gen(function* () {
      const s = yield* loadSettings
      yield* runSystem(s, !noSimulator)
    }),
).pipe(
  Command.withDescription(
    "Run the whole system in one process: embedded Redis/NATS/chDB unless REDIS_URL/NATS_URL/CLICKHOUSE_URL are set, " +
      "the simulated QMT source (SIM_SPEED, SIM_SYMBOLS, SIM_DAY, SIM_FROM), relay, projection and the API on HTTP_PORT (8080)",
  ),
)
