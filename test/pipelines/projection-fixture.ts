/**
 * A few days of real 1m bars (000001.SZ, 2018) for three symbols, published to the log the hard way: shuffled,
 * with duplicates under new message ids and with revisions; and the bars each table must end up holding.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Fiber } from "effect"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { LogMessage } from "../../src/adapters/nats/pub-ack-publisher.ts"
import type { Bar, BarClosed } from "../../src/domain/bar.ts"
import { barMessageId, barSubject } from "../../src/domain/market-event.ts"
import { resample } from "../../src/domain/resample.ts"
import type { SymbolCode } from "../../src/domain/symbol.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { waitDrained } from "../support/consumer-drained.ts"
import type { makeTestRuntime } from "../support/runtime.ts"
import type { TestServers } from "../support/servers.ts"

const REAL = join(import.meta.dirname, "../../../shared/realdata/bars1m/000001.SZ-20180102-20180115.ndjson")
const DAYS = ["2018-01-02", "2018-01-03", "2018-01-04"]

const realBars = (): Bar[] =>
  readFileSync(REAL, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Bar)
    .filter((b) => DAYS.includes(b.frame.slice(0, 10)))

const scaled = (bars: Bar[], symbol: string, k: number): BarClosed[] =>
  bars.map((b) => ({
    ...b,
    symbol: symbol as SymbolCode,
    open: Math.round(b.open * k * 100) / 100,
    high: Math.round(b.high * k * 100) / 100,
    low: Math.round(b.low * k * 100) / 100,
    close: Math.round(b.close * k * 100) / 100,
    period: "1m" as const,
    rev: 0,
  }))

// A fixed LCG: the shuffle is the same every run, so a failure can be replayed.
const shuffle = <A>(xs: A[], seed = 42): A[] => {
  let s = seed
  const next = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31
    return s / 2 ** 31
  }
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

export interface Publication {
  readonly subject: string
  readonly id: string
  readonly data: Uint8Array
}

export const projectionFixture = () => {
  const real = realBars()
  const first = [
    ...scaled(real, "000001.SZ", 1),
    ...scaled(real, "600000.SH", 0.8),
    ...scaled(real, "300750.SZ", 2),
  ]
  // Every 37th bar is revised by a late tick: more volume, a higher high.
  const revisions = first
    .filter((_, i) => i % 37 === 5)
    .map((b) => ({
      ...b,
      rev: 1,
      vol: b.vol + 100,
      amount: b.amount + 100 * b.close,
      high: Math.round((b.high + 0.05) * 100) / 100,
    }))
  const final = new Map(first.map((b) => [`${b.symbol}|${b.frame}`, b as BarClosed]))
  for (const r of revisions) final.set(`${r.symbol}|${r.frame}`, r)
  const encode = (b: BarClosed, suffix = "") => ({
    subject: barSubject(b),
    id: barMessageId(b) + suffix,
    data: new TextEncoder().encode(JSON.stringify(b)),
  })
  // Duplicates under new ids get past JetStream's dedup, as a re-publish after the window would.
  const duplicates = first.filter((_, i) => i % 23 === 3).map((b) => encode(b, ":again"))
  const publications: Publication[] = shuffle([
    ...first.map((b) => encode(b)),
    ...revisions.map((b) => encode(b)),
    ...duplicates,
  ])
  const finalBars = [...final.values()]
  const expected = (period: "1m" | "5m" | "30m" | "1d"): Bar[] => {
    const bySymbol = Map.groupBy(finalBars, (b) => b.symbol)
    return [...bySymbol.keys()].sort().flatMap((s) => {
      const bars = bySymbol.get(s)!
      return period === "1m" ? [...bars].sort((a, b) => (a.frame < b.frame ? -1 : 1)) : resample(bars, period)
    })
  }
  return { publications, expected, symbols: ["000001.SZ", "300750.SZ", "600000.SH"], days: DAYS }
}

/** The bar tables a projection writes, by period. */
export const BAR_TABLES = [
  ["1m", "bars_1m"],
  ["5m", "bars_5m"],
  ["30m", "bars_30m"],
  ["1d", "bars_1d"],
] as const

/** A table's bars, each once (FINAL), in (symbol, frame) order, with the frame as text for every period. */
export const tableBars = (table: string) =>
  ClickHouse.use((ch) =>
    ch.query<Bar & { f: string }>(
      `SELECT symbol, toString(frame) AS f, open, high, low, close, vol, amount FROM ${table} FINAL ORDER BY symbol, f`,
    ),
  ).pipe(Effect.map((rows) => rows.map(({ f, ...b }) => ({ ...b, frame: f }))))

/** Bars as compared: the bar fields only, volume to the share, amount to the cent (float sums differ in the last bits). */
export const comparable = (bars: ReadonlyArray<Bar>) =>
  bars.map(({ symbol, frame, open, high, low, close, vol, amount }) => ({
    symbol,
    frame,
    open,
    high,
    low,
    close,
    vol: Math.round(vol),
    amount: Math.round(amount * 100) / 100,
  }))

/** Publishes `messages` to the log and lets the live projection take them all into the tables, then stops it. */
export const projectAll = async (
  runtime: ReturnType<typeof makeTestRuntime>,
  servers: TestServers,
  messages: ReadonlyArray<LogMessage>,
) => {
  await runtime.runPromise(MarketLog.use((log) => log.publish(messages)))
  const projection = runtime.runFork(runProjection({ durable: "projection", batchSize: 500, flushMs: 50 }))
  await waitDrained(servers.natsUrl, "projection")
  await runtime.runPromise(Fiber.interrupt(projection))
}
