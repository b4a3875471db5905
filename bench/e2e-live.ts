/**
 * Live latency of the end-to-end benchmark, from each bar's close as the system saw it: the moment its entry
 * reached Redis (the source XADDs a bar the moment it closes on the exchange clock plus grace), to
 * - the log holding it (the relay's share): a plain NATS subscription to the sampled symbols' subjects, which
 *   the server hands each message as the stream stores it;
 * - /api/latest showing it: sampled symbols (spread over the market, see spreadSample), polled every 10 ms;
 * - bars_1m holding it: /api/bars of a quarter of the sampled symbols, polled every 100 ms while /api/latest
 *   shows a bar that bars_1m does not have yet;
 * - the whole minute of the market in bars_1m: the projection's counter reaching the number of events Redis had
 *   when the minute's last bar came (polled every 100 ms from /metrics, which also tells the longest event loop
 *   delay of the API's thread in each 100 ms: what a request or a relayed bar waited behind).
 * When a bar reached Redis is its entry id's time (Redis stamps each XADD in ms, on this host's clock). The
 * stream is read once a second, not as entries come: a reader woken by every burst would parse each minute's
 * 5,000 entries on the same two cores in the very moment being measured. Latencies are worked out at the end.
 */
import { connect } from "@nats-io/transport-node"
import { Redis } from "ioredis"
import { barSubject } from "../src/domain/market-event.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"
import { EVENTS_STREAM, scrape, type UpProcess } from "./e2e-process.ts"

/** The relay trims what it relayed every 5 s: a read every second sees every entry. */
const READ_EVERY_MS = 1_000
/** A frame's entries more than this apart are separate bursts: a minute, then late revisions one by one. */
const BURST_GAP_MS = 1_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface LiveLatency {
  readonly inLog: number[]
  readonly latest: number[]
  readonly bars1m: number[]
  readonly fullMinute: number[]
  /** The API thread's longest event loop delay in each 100 ms between scrapes of /metrics, in ms. */
  readonly apiThreadBlocked: number[]
}

interface Burst {
  readonly firstAt: number
  lastAt: number
  bars: number
  /** Entries in Redis (since the watch began) up to this burst's last bar. */
  through: number
}

/**
 * `n` symbols evenly spread over the universe, its first and last included. The source closes a minute's bars in
 * the order its symbols first traded, which is the universe's order: a burst's head and tail are both followed.
 * (The first 20 symbols, as this phase took before, are all at the head of each burst, ahead of the ~5,000 bars
 * the relay works through after them.)
 */
export const spreadSample = (universe: ReadonlyArray<string>, n: number): string[] => {
  const k = Math.min(n, universe.length)
  if (k <= 1) return universe.slice(0, k)
  return Array.from({ length: k }, (_, i) => universe[Math.round((i * (universe.length - 1)) / (k - 1))]!)
}

/** Latencies of the keys ("symbol frame") seen, in the order they were seen, from when each reached Redis. */
const latencies = (
  seenAt: Map<string, number>,
  closedAt: Map<string, number>,
  firstFrame: string,
): number[] =>
  [...seenAt]
    .flatMap(([key, at]) => {
      const closed = closedAt.get(key)
      const live = key.slice(key.indexOf(" ") + 1) >= firstFrame
      return closed === undefined || !live ? [] : [{ at, ms: at - closed }]
    })
    .sort((a, b) => a.at - b.at)
    .map((s) => s.ms)

export const measureLive = async (
  up: UpProcess,
  sample: ReadonlyArray<string>,
  marketSize: number,
  forMs: number,
  /** Bars of earlier frames are the backlog the start released (each symbol's bars since 09:31 at once). */
  firstFrame: string,
): Promise<LiveLatency> => {
  const redis = new Redis({ host: "127.0.0.1", port: up.redis, lazyConnect: true })
  await redis.connect()
  const wanted = new Set(sample)
  // Each /api/bars is a chDB query in the measured process (~10 ms of CPU here): polling all the sample every
  // 100 ms took ~0.65 of a core from the two the system has, and slowed what it measured. Only every fourth
  // symbol of the sample is followed to bars_1m, and only while /api/latest shows a bar bars_1m does not have
  // yet (the view is fed before the projection writes).
  const followedToBars = new Set(sample.filter((_, i) => i % 4 === 0))
  const closedAt = new Map<string, number>() // "symbol frame" of sampled symbols -> reached Redis
  const arrivals: number[] = [] // when each entry reached Redis, in stream order
  const bursts = new Map<string, Burst[]>() // frame -> its bursts
  const latestSeen = new Map<string, number>()
  const loggedSeen = new Map<string, number>()
  const barsSeen = new Map<string, number>()
  const projected: Array<{ at: number; count: number }> = []
  const apiThreadBlocked: number[] = []
  const until = Date.now() + forMs

  const readRedis = async () => {
    // XREAD's "$" means "after the newest entry now" at every call: start from the newest id instead.
    let last =
      ((await redis.xrevrange(EVENTS_STREAM, "+", "-", "COUNT", 1))[0]?.[0] as string | undefined) ?? "0-0"
    for (;;) {
      const reply = await redis.xread("COUNT", 1_000_000, "STREAMS", EVENTS_STREAM, last)
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id
          const at = Number(id.slice(0, id.indexOf("-")))
          arrivals.push(at)
          if (fields[1] !== "bar") continue
          const bar = JSON.parse(fields[3]!) as { symbol: string; frame: string }
          const ofFrame = bursts.get(bar.frame) ?? []
          const burst = ofFrame.at(-1)
          if (burst === undefined || at - burst.lastAt > BURST_GAP_MS)
            ofFrame.push({ firstAt: at, lastAt: at, bars: 1, through: arrivals.length })
          else {
            burst.lastAt = at
            burst.bars++
            burst.through = arrivals.length
          }
          bursts.set(bar.frame, ofFrame)
          const key = `${bar.symbol} ${bar.frame}`
          if (wanted.has(bar.symbol) && !closedAt.has(key)) closedAt.set(key, at)
        }
      }
      if (Date.now() >= until) return
      await sleep(READ_EVERY_MS)
    }
  }

  // Symbol -> the newest frame /api/latest shows that bars_1m has not shown yet.
  const awaitingBars = new Map<string, string>()

  const pollLatest = async () => {
    while (Date.now() < until) {
      const res = await fetch(`http://127.0.0.1:${up.http}/api/latest?symbols=${sample.join(",")}`)
      const now = Date.now()
      if (res.ok) {
        const body = (await res.json()) as { quotes?: { symbol: string; frame: string }[] }
        for (const q of body.quotes ?? []) {
          const key = `${q.symbol} ${q.frame}`
          if (latestSeen.has(key)) continue
          latestSeen.set(key, now)
          if (followedToBars.has(q.symbol) && !barsSeen.has(key)) awaitingBars.set(q.symbol, q.frame)
        }
      }
      await sleep(10)
    }
  }

  const pollBars = async () => {
    while (Date.now() < until) {
      await Promise.all(
        [...awaitingBars].map(async ([s, wanted]) => {
          const res = await fetch(`http://127.0.0.1:${up.http}/api/bars?symbol=${s}&period=1m&limit=1`)
          const now = Date.now()
          const frame = ((await res.json()) as { bars?: { frame: string }[] }).bars?.[0]?.frame
          if (frame === undefined || frame < wanted) return
          if (!barsSeen.has(`${s} ${frame}`)) barsSeen.set(`${s} ${frame}`, now)
          if (awaitingBars.get(s) === wanted) awaitingBars.delete(s)
        }),
      )
      await sleep(100)
    }
  }

  const pollProjected = async () => {
    while (Date.now() < until) {
      const { counts, loopDelayMaxMs } = await scrape(up.http)
      projected.push({ at: Date.now(), count: counts.projection ?? 0 })
      if (loopDelayMaxMs !== undefined) apiThreadBlocked.push(loopDelayMaxMs)
      await sleep(100)
    }
  }

  const nc = await connect({ servers: `nats://127.0.0.1:${up.nats}` })
  const decoder = new TextDecoder()
  for (const symbol of sample)
    nc.subscribe(barSubject({ symbol: symbol as SymbolCode, period: "1m" }), {
      callback: (_e, m) => {
        const key = `${symbol} ${(JSON.parse(decoder.decode(m.data)) as { frame: string }).frame}`
        if (!loggedSeen.has(key)) loggedSeen.set(key, Date.now())
      },
    })

  try {
    await Promise.all([readRedis(), pollLatest(), pollBars(), pollProjected()])
  } finally {
    redis.disconnect()
    await nc.close()
  }
  const live = (seen: Map<string, number>) => latencies(seen, closedAt, firstFrame)
  const base = quietBase(arrivals, projected)
  return {
    inLog: live(loggedSeen),
    latest: live(latestSeen),
    bars1m: live(barsSeen),
    fullMinute: base === undefined ? [] : fullMinutes(bursts, projected, marketSize, base, firstFrame),
    apiThreadBlocked,
  }
}

/** Entries in Redis by time t (arrivals are in stream order, so their times never fall). */
const inRedisBy = (arrivals: ReadonlyArray<number>, t: number) => {
  let lo = 0
  let hi = arrivals.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (arrivals[mid]! <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The first quiet moment (no entry for 2 s, the projection's count unchanged since the previous poll), and what
 * the projection had counted then that the watch did not read (what came before it).
 */
const quietBase = (
  arrivals: ReadonlyArray<number>,
  projected: ReadonlyArray<{ at: number; count: number }>,
): { at: number; offset: number } | undefined => {
  for (let i = 1; i < projected.length; i++) {
    const { at, count } = projected[i]!
    const n = inRedisBy(arrivals, at)
    const quiet = n === 0 || at - arrivals[n - 1]! > 2_000
    if (quiet && count === projected[i - 1]!.count) return { at, offset: count - n }
  }
  return undefined
}

/** When each live full-market minute after the base was all in ClickHouse, from its first bar in Redis. */
const fullMinutes = (
  bursts: ReadonlyMap<string, ReadonlyArray<Burst>>,
  projected: ReadonlyArray<{ at: number; count: number }>,
  marketSize: number,
  base: { at: number; offset: number },
  firstFrame: string,
): number[] =>
  [...bursts]
    .filter(([frame]) => frame >= firstFrame)
    .flatMap(([, ofFrame]) => ofFrame)
    .filter((b) => b.firstAt > base.at && b.bars >= marketSize * 0.9)
    .flatMap((b) => {
      const covered = projected.find((p) => p.at >= b.lastAt && p.count - base.offset >= b.through)
      return covered === undefined ? [] : [covered.at - b.firstAt]
    })
