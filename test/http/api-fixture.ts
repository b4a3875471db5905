/**
 * A running API over real parts for the HTTP tests: private Redis and NATS, chDB, the projection, the log tail
 * and the latest-bar view. Seeds ten real days of 000001.SZ (2018-01-02..15), four days of 600519.SH (scaled)
 * and reference data, including 300750.SZ which has reference data but no bars.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type Context, Effect, Fiber, Layer, ManagedRuntime, Option, Redacted } from "effect"
import type { BarQueries } from "../../src/adapters/clickhouse/bar-queries.ts"
import type { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { EventStream } from "../../src/adapters/redis/event-stream.ts"
import type { Bar, BarClosed } from "../../src/domain/bar.ts"
import type { InstrumentReference } from "../../src/domain/instrument-reference.ts"
import type { SymbolCode } from "../../src/domain/symbol.ts"
import { type ApiParts, apiParts, apiPartsLayer } from "../../src/http/api-parts.ts"
import { type AppDeps, makeApp } from "../../src/http/app.ts"
import { LatestBars } from "../../src/http/latest-bars.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { waitDrained } from "../support/consumer-drained.ts"
import { barMessage, referenceMessage } from "../support/log-messages.ts"
import { eventually, systemLayer } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const REAL = join(import.meta.dirname, "../../../shared/realdata/bars1m/000001.SZ-20180102-20180115.ndjson")

const realBars = (): Bar[] =>
  readFileSync(REAL, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Bar)

const cents = (x: number) => Math.round(x * 100) / 100

const asSymbol = (bars: ReadonlyArray<Bar>, symbol: string, k: number): BarClosed[] =>
  bars.map((b) => ({
    ...b,
    symbol: symbol as SymbolCode,
    open: cents(b.open * k),
    high: cents(b.high * k),
    low: cents(b.low * k),
    close: cents(b.close * k),
    period: "1m" as const,
    rev: 0,
  }))

/** One reference per day, its previous close the close of the day before (the first day's: `firstPreClose`). */
const refsOf = (
  bars: ReadonlyArray<BarClosed>,
  name: string,
  firstPreClose: number,
): InstrumentReference[] => {
  const closes = new Map<string, number>()
  for (const b of bars) closes.set(b.frame.slice(0, 10), b.close)
  let preClose = firstPreClose
  return [...closes].map(([day, close]) => {
    const ref = {
      symbol: bars[0]!.symbol,
      day,
      name,
      preClose,
      limitUp: cents(preClose * 1.1),
      limitDown: cents(preClose * 0.9),
      st: false,
      adjust: 1,
    }
    preClose = close
    return ref
  })
}

export const seed = () => {
  const real = realBars()
  const pingan = asSymbol(real, "000001.SZ", 1)
  const moutai = asSymbol(
    real.filter((b) => b.frame < "2018-01-06"),
    "600519.SH",
    52,
  )
  const refs = [
    ...refsOf(pingan, "平安银行", 13.3),
    ...refsOf(moutai, "贵州茅台", 690),
    {
      symbol: "300750.SZ" as SymbolCode,
      day: "2018-01-15",
      name: "宁德时代",
      preClose: 80,
      limitUp: 96,
      limitDown: 64,
      st: false,
      adjust: 1,
    },
  ]
  return { pingan, moutai, refs }
}

export interface ApiFixture {
  readonly servers: TestServers
  readonly seeded: ReturnType<typeof seed>
  readonly parts: ApiParts
  /** The app over the fixture's services; `deps` overrides (access, probes, heartbeat). */
  app(deps?: Partial<AppDeps> & { heartbeatMs?: number }): ReturnType<typeof makeApp>
  publish(bars: ReadonlyArray<BarClosed>): Promise<void>
  /** Waits until the latest-bar view shows this bar of its symbol. */
  seen(bar: BarClosed): Promise<void>
  stop(): Promise<void>
}

/** The API's parts over the system's services, started after the seeding (as at a restart: hydration). */
const apiLayerOf = (servers: TestServers, system: Context.Context<SystemServices>) =>
  apiPartsLayer({
    natsUrl: Redacted.make(servers.natsUrl),
    natsStream: "MARKET",
    symbolsRefreshMs: 600_000,
  }).pipe(Layer.provideMerge(Layer.succeedContext(system)))

type SystemServices = MarketLog | BarQueries | EventStream | ClickHouse

export const startApiFixture = async (): Promise<ApiFixture> => {
  const servers = await startServers()
  const system = ManagedRuntime.make(systemLayer(servers))
  const projection = system.runFork(runProjection({ durable: "projection", batchSize: 1_000, flushMs: 50 }))
  const seeded = seed()
  const publish = (bars: ReadonlyArray<BarClosed>) =>
    system.runPromise(MarketLog.use((log) => log.publish(bars.map(barMessage)))).then(() => undefined)
  await system.runPromise(MarketLog.use((log) => log.publish(seeded.refs.map(referenceMessage))))
  await publish([...seeded.pingan, ...seeded.moutai])
  await waitDrained(servers.natsUrl, "projection")
  const runtime = ManagedRuntime.make(
    apiLayerOf(servers, await system.runPromise(Effect.context<SystemServices>())),
  )
  const view = await runtime.runPromise(LatestBars.use(Effect.succeed))
  const seen = (bar: BarClosed) =>
    eventually(
      async () => {
        const q = view.quote(bar.symbol)
        return q !== undefined && q.frame === bar.frame && q.rev === bar.rev
      },
      10_000,
      `the view to show ${bar.symbol} ${bar.frame}`,
    )
  await seen(seeded.pingan.at(-1)!)
  await seen(seeded.moutai.at(-1)!)
  const parts = await runtime.runPromise(
    apiParts(
      {
        watchlist: "000001.SZ,600519.SH,300750.SZ,000002.SZ",
        apiToken: Option.none(),
        corsOrigins: "",
      },
      { freshness: false },
    ),
  )
  const run = Effect.runPromiseWith(await system.runPromise(Effect.context<BarQueries>()))
  return {
    servers,
    seeded,
    parts,
    app: (deps = {}) =>
      makeApp({
        run,
        probes: [],
        live: { ...parts.live, heartbeatMs: deps.heartbeatMs ?? 15_000 },
        gauges: parts.gauges,
        ...deps,
      }),
    publish,
    seen,
    stop: async () => {
      await runtime.dispose()
      await system.runPromise(Fiber.interrupt(projection))
      await system.dispose()
      await servers.stop()
    },
  }
}
