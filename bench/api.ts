/**
 * API benchmark over a real HTTP server on 127.0.0.1: /api/latest from memory under BENCH_CLIENTS concurrent
 * keep-alive clients driven from a worker thread, as fast as they can (closed loop: the saturation rate and its
 * latencies) and polling about every BENCH_THINK_MS (p99 at that rate); then a year of one symbol's 1m bars from
 * /api/bars (p50 of BENCH_RUNS). Progress lines, then one JSON object as the last line.
 */
import type { AddressInfo } from "node:net"
import { Worker } from "node:worker_threads"
import { serve } from "@hono/node-server"
import { type Context, Effect, Layer, ManagedRuntime, Option, Redacted } from "effect"
import type { BarQueries } from "../src/adapters/clickhouse/bar-queries.ts"
import { BarStore } from "../src/adapters/clickhouse/bar-store.ts"
import { ClickHouse } from "../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../src/adapters/nats/market-log.ts"
import type { EventStream } from "../src/adapters/redis/event-stream.ts"
import type { BarClosed } from "../src/domain/bar.ts"
import { barMessageId, barSubject } from "../src/domain/market-event.ts"
import { formatDay, parseShanghai } from "../src/domain/market-time.ts"
import { SLOT_LABELS } from "../src/domain/session-grid.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"
import { apiParts, apiPartsLayer } from "../src/http/api-parts.ts"
import { makeApp } from "../src/http/app.ts"
import { LatestBars } from "../src/http/latest-bars.ts"
import { systemLayer } from "../test/support/runtime.ts"
import { startServers } from "../test/support/servers.ts"

const DAYS = Number(process.env.BENCH_DAYS ?? 242)
const RUNS = Number(process.env.BENCH_RUNS ?? 11)
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 100)
const SYMBOLS = 5_000
const SYMBOL = "000001.SZ" as SymbolCode

const weekdays = (from: string, n: number): string[] => {
  const days: string[] = []
  for (let t = parseShanghai(from); days.length < n; t += 86_400_000) {
    const wd = new Date(t + 8 * 3_600_000).getUTCDay()
    if (wd !== 0 && wd !== 6) days.push(formatDay(t))
  }
  return days
}

const bar = (symbol: SymbolCode, frame: string, k: number): BarClosed => {
  const p = Math.round((10 + Math.sin(k / 500) * 2 + (k % 7) / 100) * 100) / 100
  return {
    symbol,
    period: "1m",
    frame,
    open: p,
    high: p + 0.02,
    low: p - 0.02,
    close: p + 0.01,
    vol: 100 + (k % 900),
    amount: p * 100,
    rev: 0,
  }
}

/** A year of 1m bars of one symbol straight into bars_1m, and its reference data (the catalog knows it). */
const seedYear = (days: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const bars = days.flatMap((d, i) => SLOT_LABELS.map((l, s) => bar(SYMBOL, `${d} ${l}`, i * 240 + s)))
    for (let i = 0; i < bars.length; i += 20_000)
      yield* BarStore.use((b) => b.write("1m", bars.slice(i, i + 20_000)))
    const ref = {
      symbol: SYMBOL,
      day: days.at(-1)!,
      name: "平安银行",
      pre_close: 10,
      limit_up: 11,
      limit_down: 9,
      st: false,
      adjust: 1,
      seq: 1,
    }
    yield* ClickHouse.use((ch) => ch.insert("instrument_ref", [ref]))
    return bars.length
  })

/** The newest bar of 5,000 symbols on the log, for the latest-bar view. */
const publishLatest = (day: string) => {
  const symbols = Array.from(
    { length: SYMBOLS },
    (_, i) => `${String(600000 + i).padStart(6, "0")}.SH` as SymbolCode,
  )
  const encoder = new TextEncoder()
  const messages = symbols.map((s, i) => {
    const b = bar(s, `${day} 15:00:00`, i)
    return { subject: barSubject(b), id: barMessageId(b), data: encoder.encode(JSON.stringify(b)) }
  })
  return Effect.forEach(
    Array.from({ length: SYMBOLS / 1_000 }, (_, i) => messages.slice(i * 1_000, (i + 1) * 1_000)),
    (batch) => MarketLog.use((log) => log.publish(batch)),
  ).pipe(Effect.as(symbols))
}

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100
}

const timeBars = async (base: string, days: ReadonlyArray<string>, expected: number) => {
  const url = `${base}/api/bars?symbol=${SYMBOL}&period=1m&start=${days[0]}&end=${days.at(-1)}&limit=100000`
  const times: number[] = []
  for (let run = -2; run < RUNS; run++) {
    const t0 = performance.now()
    const res = await fetch(url)
    const body = (await res.json()) as { bars: unknown[] }
    const ms = performance.now() - t0
    if (body.bars.length !== expected) throw new Error(`expected ${expected} bars, got ${body.bars.length}`)
    if (run >= 0) times.push(ms)
  }
  return percentile(times, 0.5)
}

const load = (port: number, paths: string[], thinkMs: number) =>
  new Promise<{ latencies: number[]; failures: number }>((resolve, reject) => {
    const w = new Worker(new URL("./api-load.ts", import.meta.url), {
      workerData: { port, clients: CLIENTS, seconds: SECONDS, paths, thinkMs },
    })
    w.once("message", resolve)
    w.once("error", reject)
  })

type SystemServices = MarketLog | BarQueries | EventStream | ClickHouse

const servers = await startServers()
const system = ManagedRuntime.make(systemLayer(servers))
try {
  const days = weekdays("2024-01-02", DAYS)
  console.log(`seeding ${DAYS} days x 240 1m bars of ${SYMBOL} and the latest bar of ${SYMBOLS} symbols`)
  const n = await system.runPromise(seedYear(days))
  const symbols = await system.runPromise(publishLatest(days.at(-1)!))
  const ctx: Context.Context<SystemServices> = await system.runPromise(Effect.context<SystemServices>())
  const layer = apiPartsLayer({
    natsUrl: Redacted.make(servers.natsUrl),
    natsStream: "MARKET",
    symbolsRefreshMs: 600_000,
  })
  const api = ManagedRuntime.make(layer.pipe(Layer.provideMerge(Layer.succeedContext(ctx))))
  const view = await api.runPromise(LatestBars.use(Effect.succeed))
  while (view.size() < SYMBOLS) await new Promise((r) => setTimeout(r, 50))
  const parts = await api.runPromise(
    apiParts({ watchlist: SYMBOL, apiToken: Option.none(), corsOrigins: "" }, { freshness: false }),
  )
  const app = makeApp({ run: Effect.runPromiseWith(ctx), probes: [], live: parts.live })
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 })
  await new Promise((r) => server.once("listening", r))
  const port = (server.address() as AddressInfo).port

  const paths = symbols.slice(0, 500).map((s) => `/api/latest?symbols=${s}`)
  const results: Record<string, number> = {}
  for (const [mode, think] of [
    ["saturated", 0],
    ["polling", THINK_MS],
  ] as const) {
    const { latencies, failures } = await load(port, paths, think)
    if (failures > 0) throw new Error(`${failures} /api/latest answers were not 200`)
    const rate = Math.round(latencies.length / SECONDS)
    const [p50, p99] = [percentile(latencies, 0.5), percentile(latencies, 0.99)]
    console.log(
      `/api/latest, ${CLIENTS} clients ${mode === "polling" ? `polling every ${think} ms` : "as fast as answered"}: ${rate.toLocaleString()} req/s, p50 ${p50} ms, p99 ${p99} ms`,
    )
    Object.assign(results, {
      [`api_latest_${mode}_req_per_s`]: rate,
      [`api_latest_${mode}_p50_ms`]: p50,
      [`api_latest_${mode}_p99_ms`]: p99,
    })
  }
  // After the latest runs: each year of bars leaves 58,080 objects and their JSON as garbage, and collecting it
  // stalled latest runs measured after it (p99 ~50 ms instead of ~5 ms).
  const barsP50 = await timeBars(`http://127.0.0.1:${port}`, days, n)
  console.log(`/api/bars, a year of 1m (${n.toLocaleString()} bars): p50 ${barsP50} ms over ${RUNS} runs`)
  server.close()
  await api.dispose()
  console.log(
    JSON.stringify({
      api_bars_year_1m_ms: barsP50,
      api_bars_year_1m_bars: n,
      api_latest_p99_ms: results.api_latest_polling_p99_ms,
      api_latest_req_per_s: results.api_latest_polling_req_per_s,
      ...results,
      api_latest_clients: CLIENTS,
      api_latest_think_ms: THINK_MS,
    }),
  )
} finally {
  await system.dispose()
  await servers.stop()
}
