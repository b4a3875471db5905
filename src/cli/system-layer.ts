/** The adapters of a whole system, built from settings and the resolved server URLs. */
import { resolve } from "node:path"
import { Layer, Option } from "effect"
import { BarQueries } from "../adapters/clickhouse/bar-queries.ts"
import { BarStore } from "../adapters/clickhouse/bar-store.ts"
import { ClickHouse, type ClickHouseTarget } from "../adapters/clickhouse/clickhouse.ts"
import { migrate } from "../adapters/clickhouse/migrations.ts"
import { ProjectionStore } from "../adapters/clickhouse/projection-store.ts"
import { MarketLog } from "../adapters/nats/market-log.ts"
import type { ServerUrls } from "../adapters/process/embedded-servers.ts"
import { EventStream } from "../adapters/redis/event-stream.ts"
import type { Settings } from "../config/settings.ts"

export const clickhouseTarget = (s: Settings): ClickHouseTarget =>
  Option.match(s.clickhouseUrl, {
    onNone: () => ({
      _tag: "Embedded" as const,
      path: resolve(Option.getOrElse(s.chdbPath, () => `${s.dataDir}/clickhouse`)),
    }),
    onSome: (url) => ({
      _tag: "Server" as const,
      url,
      username: s.clickhouseUser,
      password: s.clickhousePassword,
      database: s.clickhouseDatabase,
    }),
  })

/** ClickHouse with migrations applied at start (startup is recovery), and the bar tables on it. */
export const clickhouseLayer = (s: Settings) =>
  Layer.effectDiscard(migrate()).pipe(
    Layer.provideMerge(Layer.mergeAll(BarStore.layer, BarQueries.layer, ProjectionStore.layer)),
    Layer.provideMerge(ClickHouse.layer(clickhouseTarget(s))),
  )

export const redisLayer = (s: Settings, urls: Pick<ServerUrls, "redisUrl">) =>
  EventStream.layer({ url: urls.redisUrl, stream: s.redisStream })

export const natsLayer = (s: Settings, urls: Pick<ServerUrls, "natsUrl">) =>
  MarketLog.layer({
    url: urls.natsUrl,
    stream: s.natsStream,
    retentionDays: s.natsRetentionDays,
    duplicateWindowMs: s.natsDuplicateWindowMs,
    storage: s.natsStorage,
    replicas: s.natsReplicas,
    ...Option.match(s.natsMaxBytes, { onNone: () => ({}), onSome: (maxBytes) => ({ maxBytes }) }),
  })

export const systemLayer = (s: Settings, urls: ServerUrls) =>
  Layer.mergeAll(redisLayer(s, urls), natsLayer(s, urls), clickhouseLayer(s))
