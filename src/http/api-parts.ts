/**
 * The API's realtime parts on top of the system's services: the log tail, the symbol catalog and the latest-bar
 * view (one layer), and what makeApp takes from them (routes, access, gauges, the freshness probe).
 */
import { Effect, Layer, Option, type Redacted } from "effect"
import { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import { NatsClient } from "../adapters/nats/nats-client.ts"
import { EventStream } from "../adapters/redis/event-stream.ts"
import type { Settings } from "../config/settings.ts"
import { LogTail } from "../pipelines/log-tail.ts"
import { isProjectionConsumer } from "../pipelines/projection.ts"
import type { RelayedFacts } from "../pipelines/relayed-facts.ts"
import type { AccessOptions } from "./access.ts"
import { eventLoopDelay } from "./event-loop-delay.ts"
import { freshnessProbe } from "./freshness-probe.ts"
import { LatestBars } from "./latest-bars.ts"
import type { LiveApi } from "./live-api.ts"
import {
  consumerPending,
  eventRates,
  type GaugeSource,
  newestBarLag,
  redisStreamLength,
  storedDeadLetters,
} from "./pipeline-gauges.ts"
import { splitSymbols } from "./query-params.ts"
import type { HealthProbe } from "./routes/health-route.ts"
import { SymbolCatalog } from "./symbol-catalog.ts"

export interface ApiPartsOptions {
  readonly natsUrl: Redacted.Redacted<string>
  readonly natsStream: string
  readonly symbolsRefreshMs: number
  /** The relay of this process, when it is the only one: the view takes new facts from what it published. */
  readonly relayed?: RelayedFacts
}

/** LatestBars over SymbolCatalog over LogTail over a NatsClient (the API's connection); needs ClickHouse. */
export const apiPartsLayer = (o: ApiPartsOptions) =>
  LatestBars.layer.pipe(
    Layer.provideMerge(SymbolCatalog.layer({ refreshMs: o.symbolsRefreshMs })),
    Layer.provideMerge(LogTail.layer(o.relayed === undefined ? {} : { relayed: o.relayed })),
    Layer.provideMerge(NatsClient.layer({ url: o.natsUrl, stream: o.natsStream, name: "minutebar-api" })),
  )

export interface ApiParts {
  readonly live: LiveApi
  readonly access: AccessOptions
  readonly gauges: ReadonlyArray<GaugeSource>
  readonly probes: ReadonlyArray<HealthProbe>
}

/** The durable consumers whose backlog /metrics shows: the projection's, one or per exchange (projection-SH...). */
const isProjection = isProjectionConsumer("projection")

export const apiParts = (
  s: Pick<Settings, "watchlist" | "apiToken" | "corsOrigins">,
  /** `freshness`: the feed follows the exchange clock (QMT, or a simulation of today at real pace), so /health checks it. */
  o: { readonly freshness: boolean },
): Effect.Effect<ApiParts, never, LatestBars | SymbolCatalog | LogTail | EventStream | ClickHouse> =>
  Effect.gen(function* () {
    const view = yield* LatestBars
    const tail = yield* LogTail
    return {
      live: { view, catalog: yield* SymbolCatalog, watchlist: splitSymbols(s.watchlist) },
      access: { token: Option.getOrUndefined(s.apiToken), corsOrigins: s.corsOrigins },
      gauges: [
        eventRates(),
        consumerPending(tail, isProjection),
        redisStreamLength(yield* EventStream),
        storedDeadLetters(yield* ClickHouse),
        newestBarLag(view.newest),
        eventLoopDelay(),
      ],
      probes: o.freshness ? [freshnessProbe(view.newest)] : [],
    }
  })
