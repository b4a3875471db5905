/**
 * Projection benchmark (`npm run bench:projection`) on a private nats-server and chDB in a temp dir:
 * 1. a backlog of BENCH_SYMBOLS x BENCH_MINUTES 1m bars in the log, drained by the projection (runProjection in
 *    this process) into bars_1m/5m/30m/1d: projection_bars_per_s, from its start until the consumer is drained;
 * 2. the same rows inserted raw into a scratch MergeTree (ClickHouse.insert, same batch size): the chDB ceiling;
 * 3. one symbol's year (242 days x 240 1m bars = 58,080 rows, and its 5m bars) read through the SDK: medians.
 * Progress lines, then one JSON object as the last line.
 *
 * BENCH_SYMBOLS (5000), BENCH_MINUTES (60), BENCH_BATCH (20000), BENCH_FLUSH_MS (200), BENCH_QUERY_RUNS (7).
 */
import { join } from "node:path"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Effect, Fiber, ManagedRuntime } from "effect"
import { ClickHouse } from "../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../src/adapters/nats/market-log.ts"
import type { BarClosed } from "../src/domain/bar.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"
import { runProjection } from "../src/pipelines/projection.ts"
import { connectMinutebar } from "../src/sdk/minutebar-sdk.ts"
import { systemLayer } from "../test/support/runtime.ts"
import { startServers, type TestServers } from "../test/support/servers.ts"
import { morningMessages, symbolsOf, yearOf } from "./projection-fixture.ts"
import { median, perSecond } from "./relay-fixture.ts"

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5_000)
const MINUTES = Number(process.env.BENCH_MINUTES ?? 60)
const BATCH = Number(process.env.BENCH_BATCH ?? 20_000)
const FLUSH_MS = Number(process.env.BENCH_FLUSH_MS ?? 200)
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 7)
const DAY = "2024-03-05"
const YEAR_SYMBOL = "688981.SH" as SymbolCode

const makeRuntime = (servers: TestServers) => ManagedRuntime.make(systemLayer(servers))
type Runtime = ReturnType<typeof makeRuntime>
const chunks = <A>(xs: ReadonlyArray<A>, n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n))
const count = (rt: Runtime, table: string) =>
  rt
    .runPromise(ClickHouse.use((ch) => ch.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`)))
    .then((rows) => rows[0]!.n)

/** Polls until the durable consumer has acked the whole log; its own connection, closed after (no lingering). */
const waitDrained = async (natsUrl: string, durable: string) => {
  const nc = await connect({ servers: natsUrl, name: "bench-drained" })
  try {
    const jsm = await jetstreamManager(nc)
    for (;;) {
      const info = await jsm.consumers.info("MARKET", durable).catch(() => undefined)
      if (info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0) return
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    await nc.close()
  }
}

const projectionSection = async (rt: Runtime, servers: TestServers) => {
  const messages = morningMessages(symbolsOf(SYMBOLS), DAY, MINUTES)
  console.log(
    `projection: ${messages.length.toLocaleString()} 1m bars (${SYMBOLS} symbols x ${MINUTES} minutes), batch ${BATCH}, flush ${FLUSH_MS} ms`,
  )
  const tp = performance.now()
  await rt.runPromise(
    Effect.forEach(chunks(messages, 5_000), (c) => MarketLog.use((log) => log.publish(c)), {
      concurrency: 4,
    }),
  )
  console.log(`log filled in ${Math.round(performance.now() - tp)} ms`)
  const [t0, cpu0] = [performance.now(), process.cpuUsage()]
  const fiber = rt.runFork(runProjection({ durable: "bench", batchSize: BATCH, flushMs: FLUSH_MS }))
  await waitDrained(servers.natsUrl, "bench")
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  await rt.runPromise(Fiber.interrupt(fiber))
  const rows = await Promise.all(["bars_1m", "bars_5m", "bars_30m", "bars_1d"].map((t) => count(rt, t)))
  const cpuS = Math.round((cpu.user + cpu.system) / 1e5) / 10
  console.log(
    `projected in ${Math.round(ms)} ms (this process's CPU: ${cpuS} s); rows 1m/5m/30m/1d: ${rows.join(" / ")}`,
  )
  if (rows[0] !== messages.length)
    throw new Error(`bars_1m holds ${rows[0]} rows, expected ${messages.length}`)
  return {
    bars: messages.map((m) => JSON.parse(new TextDecoder().decode(m.data)) as BarClosed),
    rate: perSecond(messages.length, ms),
    cpuS,
  }
}

/** The same 1m rows straight into a scratch MergeTree in batches of BATCH: what chDB takes at most. */
const ceilingSection = async (rt: Runtime, bars: ReadonlyArray<BarClosed>) => {
  const rows = bars.map(({ period: _, ...row }) => row)
  await rt.runPromise(
    ClickHouse.use((ch) =>
      ch.command("CREATE TABLE bench_ceiling AS bars_1m ENGINE = MergeTree ORDER BY (symbol, frame)"),
    ),
  )
  const t0 = performance.now()
  await rt.runPromise(
    ClickHouse.use((ch) =>
      Effect.forEach(chunks(rows, BATCH), (c) => ch.insert("bench_ceiling", c), { discard: true }),
    ),
  )
  const rate = perSecond(rows.length, performance.now() - t0)
  console.log(`chDB insert ceiling: ${rate.toLocaleString()} rows/s (ClickHouse.insert, batches of ${BATCH})`)
  return rate
}

const timeMedian = async (f: () => Promise<unknown>) => {
  await f() // warm-up: first-touch of the parts, JIT
  const ms: number[] = []
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
  }
  return Math.round(median(ms) * 10) / 10
}

/** A year of one symbol through the SDK, next to the JSON formats the reads could have used instead. */
const querySection = async (rt: Runtime, servers: TestServers) => {
  const year = yearOf(YEAR_SYMBOL, "2023-01-03", 242)
  await rt.runPromise(
    ClickHouse.use((ch) =>
      Effect.gen(function* () {
        for (const c of chunks(year.rows1m, 20_000)) yield* ch.insert("bars_1m", c)
        yield* ch.insert("bars_5m", year.rows5m)
        yield* ch.insert("instrument_ref", year.refs)
      }),
    ),
  )
  const [first, last] = [year.days[0]!, year.days[year.days.length - 1]!]
  const sdk = await connectMinutebar({ chdbPath: join(servers.dir, "clickhouse") })
  const n = (await sdk.getBars(YEAR_SYMBOL, "1m", first, last)).frame.length
  if (n !== 58_080 && year.days.length === 242) throw new Error(`the year read gave ${n} 1m bars`)
  const result = {
    query_1m_year_ms: await timeMedian(() => sdk.getBars(YEAR_SYMBOL, "1m", first, last)),
    query_5m_year_ms: await timeMedian(() => sdk.getBars(YEAR_SYMBOL, "5m", first, last)),
    query_1m_year_front_ms: await timeMedian(() =>
      sdk.getBars(YEAR_SYMBOL, "1m", first, last, { adjust: "front" }),
    ),
    ...(await formatSection(rt, first, last)),
  }
  await sdk.close()
  console.log(`year of ${YEAR_SYMBOL}: ${n} 1m bars; medians of ${QUERY_RUNS}: ${JSON.stringify(result)}`)
  return result
}

/** The same 1m year query in JSON formats, each turned into typed columns: why reads use Native. */
const formatSection = (rt: Runtime, first: string, last: string) => {
  const sql = `SELECT toString(frame) AS f, open, high, low, close, vol, amount FROM bars_1m FINAL
    WHERE symbol = {symbol:String} AND frame >= toDateTime({start:String}, 'Asia/Shanghai')
      AND frame <= toDateTime({end:String}, 'Asia/Shanghai') ORDER BY frame`
  const params = { symbol: YEAR_SYMBOL, start: `${first} 00:00:00`, end: `${last} 23:59:59` }
  const keys = ["open", "high", "low", "close", "vol", "amount"] as const
  const eachRow = () =>
    rt
      .runPromise(ClickHouse.use((ch) => ch.query<Record<string, number>>(sql, params)))
      .then((rows) => keys.map((k) => Float64Array.from(rows, (r) => r[k]!)))
  const compactColumns = () =>
    rt
      .runPromise(ClickHouse.use((ch) => ch.queryBytes(`${sql} FORMAT JSONCompactColumns`, params)))
      .then((bytes) =>
        (JSON.parse(Buffer.from(bytes).toString("utf8")) as number[][])
          .slice(1)
          .map((c) => Float64Array.from(c)),
      )
  return Promise.all([]).then(async () => ({
    query_1m_year_jsoneachrow_ms: await timeMedian(eachRow),
    query_1m_year_jsoncompactcolumns_ms: await timeMedian(compactColumns),
  }))
}

const servers = await startServers()
const rt = makeRuntime(servers)
const result: Record<string, number> = {}
try {
  await rt.runPromise(Effect.void)
  const projection = await projectionSection(rt, servers)
  const ceiling = await ceilingSection(rt, projection.bars)
  Object.assign(result, {
    projection_bars_per_s: projection.rate,
    chdb_insert_ceiling_rows_per_s: ceiling,
    projection_to_ceiling_ratio: Math.round((projection.rate / ceiling) * 100) / 100,
    // CPU of this process (projection and chDB threads) while projecting: comparable on a busy machine.
    projection_cpu_s: projection.cpuS,
    ...(await querySection(rt, servers)),
  })
} finally {
  await rt.dispose()
  await servers.stop()
}
console.log(JSON.stringify({ ...result, bars: SYMBOLS * MINUTES, batch: BATCH, query_runs: QUERY_RUNS }))
