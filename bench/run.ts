/**
 * End-to-end benchmark (`npm run bench`): the whole system (`minutebar up`, embedded Redis, NATS and chDB) on
 * the simulated full market.
 * - Phase 1: a whole trading day at maximum speed, bars/s per stage and in total.
 * - Phase 2: the same day already in Redis, drained by `up --no-simulator` (the production split, with the
 *   source on a machine of its own; also a day's backlog after an outage), e2e-drain.ts.
 * - Phase 3: a few minutes at real pace, latency from a bar's close (its entry reaching Redis) to held by the
 *   log, visible in /api/latest and in bars_1m (the API's /api/bars), and the full-market minute in ClickHouse
 *   (e2e-live.ts).
 * The day phase also gives the CPU a bar's way from Redis into the log takes, and the least time a minute's
 * bars need for it on this machine's cores (to_log_cpu_us_per_bar, minute_to_log_cpu_floor_ms).
 * Ceilings are measured in the same run. CPU is given per process and, inside minutebar, per thread
 * (`minutebar_cpu_seconds_total`): the parts that are processes of their own in production are threads of `up`.
 * Progress lines on stderr; the last line on stdout is one JSON object.
 *
 * BENCH_SYMBOLS (5000), BENCH_LIVE_MINUTES (3), BENCH_LIVE_SAMPLE (40), BENCH_CEILING_N (200000); BENCH_PHASE=day,
 * drain or live runs that phase only.
 */
import { availableParallelism } from "node:os"
import { instrumentsOf, makeUniverse } from "../src/adapters/simulator/universe.ts"
import { tempDir } from "../test/support/servers.ts"
import { measureCeilings } from "./e2e-ceilings.ts"
import { drainDayFromRedis } from "./e2e-drain.ts"
import { measureLive, spreadSample } from "./e2e-live.ts"
import { coreShares, cpuSeconds, processUsage, rssMb, scrape, startUp } from "./e2e-process.ts"

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5_000)
const LIVE_MINUTES = Number(process.env.BENCH_LIVE_MINUTES ?? 3)
const CEILING_N = Number(process.env.BENCH_CEILING_N ?? 200_000)
/** Symbols whose bars the live phase follows to the log and /api/latest, spread over the whole market. */
const LIVE_SAMPLE = Number(process.env.BENCH_LIVE_SAMPLE ?? 40)
const DAY = "2024-03-05"
/** Where the live phase starts on the simulated day's clock; its first live bar is 10:01. */
const LIVE_FROM = "10:00:00"
const log = (line: string) => process.stderr.write(`${line}\n`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0
    ? Number.NaN
    : Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!)
}

const fullDayAtMaxSpeed = async () => {
  const up = await startUp({
    DATA_DIR: tempDir("bench-day"),
    SIM_SPEED: "max",
    SIM_DAY: DAY,
    SIM_SYMBOLS: String(SYMBOLS),
  })
  const t0 = Date.now()
  const reached: Record<string, number> = {}
  let published = Number.NaN
  for (;;) {
    await sleep(250)
    const { counts } = await scrape(up.http)
    const done = /done: (\d+) bars published/.exec(up.output)
    if (done !== null) published = Number(done[1])
    const total = published + SYMBOLS // the day's bars plus one reference record per symbol
    for (const stage of ["source", "relay", "projection"]) {
      const target = stage === "source" ? published : total
      if (reached[stage] === undefined && (counts[stage] ?? 0) >= target) reached[stage] = Date.now() - t0
    }
    if (Object.keys(reached).length === 3) break
    if (Date.now() - t0 > 600_000) throw new Error(`day not through in 10 minutes: ${JSON.stringify(counts)}`)
    if ((Date.now() - t0) % 5_000 < 250)
      log(`day: ${JSON.stringify(counts)} after ${Math.round((Date.now() - t0) / 1000)} s`)
  }
  const usage = processUsage(up.child.pid!)
  const { threadCpuS } = await scrape(up.http)
  await up.stop()
  const wallS = reached.projection! / 1000
  // CPU a bar's way from Redis into the log took (the relay thread, nats-server, redis-server): a minute's
  // bars need SYMBOLS times that, spread over every core, before the last of them can be in the log.
  const toLogCpuS =
    (threadCpuS.relay ?? 0) + (usage["nats-server"]?.cpuS ?? 0) + (usage["redis-server"]?.cpuS ?? 0)
  return {
    day_bars: published,
    day_through_all_tables_s: Math.round(wallS * 10) / 10,
    source_bars_per_s: Math.round(published / (reached.source! / 1000)),
    relay_bars_per_s: Math.round(published / (reached.relay! / 1000)),
    projection_bars_per_s: Math.round(published / wallS),
    end_to_end_bars_per_s: Math.round(published / wallS),
    cpu_share: coreShares({}, cpuSeconds(usage), wallS),
    rss_mb: rssMb(usage),
    // Inside minutebar: main (API, view, projection), the relay and source threads, native (chDB, GC helpers).
    cpu_share_by_thread: coreShares({}, threadCpuS, wallS),
    to_log_cpu_us_per_bar: Math.round((toLogCpuS / published) * 1e7) / 10,
    minute_to_log_cpu_floor_ms: Math.round(((toLogCpuS / published) * SYMBOLS * 1000) / availableParallelism()),
  }
}

const dayFromRedis = async () => {
  const d = await drainDayFromRedis(SYMBOLS, DAY, log)
  return {
    drain_entries: d.entries,
    drain_fill_s: Math.round(d.fillS * 10) / 10,
    day_from_redis_relay_s: Math.round(d.relayS * 10) / 10,
    day_from_redis_through_all_tables_s: Math.round(d.allTablesS * 10) / 10,
    day_from_redis_bars_per_s: Math.round(d.entries / d.allTablesS),
    drain_cpu_share: coreShares(d.cpuBefore, cpuSeconds(d.usage), d.allTablesS),
    drain_rss_mb: rssMb(d.usage),
    drain_cpu_share_by_thread: coreShares({}, d.threadCpuS, d.allTablesS),
  }
}

const livePace = async () => {
  const up = await startUp({
    DATA_DIR: tempDir("bench-live"),
    SIM_SPEED: "1",
    SIM_DAY: DAY,
    SIM_FROM: LIVE_FROM,
    SIM_SYMBOLS: String(SYMBOLS),
  })
  // The first tick of each symbol releases its bars since 09:31 at once (~150k): measureLive counts only
  // bars of the minutes that close after the start, the first ending a minute after LIVE_FROM.
  const sample = spreadSample(
    instrumentsOf(makeUniverse({ seed: 1, symbols: SYMBOLS })).map((i) => i.symbol),
    LIVE_SAMPLE,
  )
  const before = await scrape(up.http)
  const t0 = Date.now()
  const live = await measureLive(up, sample, SYMBOLS, LIVE_MINUTES * 60_000 + 15_000, `${DAY} 10:01:00`)
  const after = await scrape(up.http)
  const liveS = (Date.now() - t0) / 1000
  await up.stop()
  return {
    live_minutes: LIVE_MINUTES,
    // Per stage: Redis -> the log is the relay's share; the log -> /api/latest the view's, -> bars_1m the projection's.
    in_log_ms_p50: pct(live.inLog, 50),
    in_log_ms_p99: pct(live.inLog, 99),
    bars_1m_visible_ms_p50: pct(live.bars1m, 50),
    bars_1m_visible_ms_p99: pct(live.bars1m, 99),
    api_latest_visible_ms_p50: pct(live.latest, 50),
    api_latest_visible_ms_p99: pct(live.latest, 99),
    full_market_minute_in_clickhouse_ms_p50: pct(live.fullMinute, 50),
    full_market_minute_in_clickhouse_ms_p99: pct(live.fullMinute, 99),
    // Per 100 ms: the longest the API's thread (the view, requests and, in `up`, the projection) was blocked.
    api_thread_blocked_ms_p50: pct(live.apiThreadBlocked, 50),
    api_thread_blocked_ms_p99: pct(live.apiThreadBlocked, 99),
    api_thread_blocked_ms_max: pct(live.apiThreadBlocked, 100),
    live_cpu_share_by_thread: coreShares(before.threadCpuS, after.threadCpuS, liveS),
    latency_samples: {
      in_log: live.inLog.length,
      latest: live.latest.length,
      bars_1m: live.bars1m.length,
      minutes: live.fullMinute.length,
    },
  }
}

const main = async () => {
  if (process.env.BENCH_PHASE === "live") {
    console.log(JSON.stringify(await livePace()))
    return
  }
  if (process.env.BENCH_PHASE === "drain") {
    console.log(JSON.stringify(await dayFromRedis()))
    return
  }
  if (process.env.BENCH_PHASE === "day") {
    console.log(JSON.stringify(await fullDayAtMaxSpeed()))
    return
  }
  log(`ceilings (${CEILING_N} each) ...`)
  const ceilings = await measureCeilings(CEILING_N)
  log(JSON.stringify(ceilings))
  log(`a full-market day (${SYMBOLS} symbols) at maximum speed ...`)
  const day = await fullDayAtMaxSpeed()
  log(JSON.stringify(day))
  log("the same day already in Redis, drained through all four tables ...")
  const drain = await dayFromRedis()
  log(JSON.stringify(drain))
  log(`${LIVE_MINUTES} minutes at real pace ...`)
  const live = await livePace()
  log(JSON.stringify(live))
  const ratios = {
    relay_to_jetstream_ceiling:
      Math.round((day.relay_bars_per_s / ceilings.jetstream_pubacks_ceiling_per_s) * 100) / 100,
    relay_to_js_publish:
      Math.round((day.relay_bars_per_s / ceilings.jetstream_publish_ceiling_per_s) * 100) / 100,
    source_to_xadd_ceiling:
      Math.round((day.source_bars_per_s / ceilings.redis_xadd_ceiling_per_s) * 100) / 100,
    projection_to_chdb_ceiling:
      Math.round((day.projection_bars_per_s / ceilings.chdb_insert_ceiling_rows_per_s) * 100) / 100,
  }
  console.log(JSON.stringify({ ...ceilings, ...day, ...drain, ...live, ...ratios }))
}

await main()
