/**
 * Live latency of the end-to-end benchmark, from each bar's close as the system saw it: the moment its entry
 * reached Redis (the source XADDs a bar the moment it closes on the exchange clock plus grace), to
 * - /api/latest showing it: sampled symbols, polled every 10 ms;
 * - bars_1m holding it: /api/bars of the sampled symbols, polled every 100 ms;
 * - the whole minute of the market in bars_1m: the projection's counter reaching the number of events Redis had
 *   when the minute's last bar came (polled every 100 ms from /metrics).
 * When a bar reached Redis is its entry id's time (Redis stamps each XADD in ms, on this host's clock). The
 * stream is read once a second, not as entries come: a reader woken by every burst would parse each minute's
 * 5,000 entries on the same two cores in the very moment being measured. Latencies are worked out at the end.
 */
import { Redis } from "ioredis"
import { stageCounts, type UpProcess } from "./e2e-process.ts"

const STREAM = "minutebar:events"
/** The relay trims what it relayed every 5 s: a read every second sees every entry. */
const READ_EVERY_MS = 1_000
/** A frame's entries more than this apart are separate bursts: a minute, then late revisions one by one. */
const BURST_GAP_MS = 1_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface LiveLatency {
  readonly latest: number[]
  readonly bars1m: number[]
  readonly fullMinute: number[]
}

interface Burst {
  readonly firstAt: number
  lastAt: number
  bars: number
  /** Entries in Redis (since the watch began) up to this burst's last bar. */
  through: number
}

/** Latencies of the keys seen, in the order they were seen, from when each reached Redis. */
const latencies = (seenAt: Map<string, number>, closedAt: Map<string, number>): number[] =>
  [...seenAt]
    .flatMap(([key, at]) => {
      const closed = closedAt.get(key)
      return closed === undefined ? [] : [{ at, ms: at - closed }]
    })
    .sort((a, b) => a.at - b.at)
    .map((s) => s.ms)

export const measureLive = async (
  up: UpProcess,
  sample: ReadonlyArray<string>,
  marketSize: number,
  forMs: number,
): Promise<LiveLatency> => {
  const redis = new Redis({ host: "127.0.0.1", port: up.redis, lazyConnect: true })
  await redis.connect()
  const wanted = new Set(sample)
  const closedAt = new Map<string, number>() // "symbol frame" of sampled symbols -> reached Redis
  const arrivals: number[] = [] // when each entry reached Redis, in stream order
  const bursts = new Map<string, Burst[]>() // frame -> its bursts
  const latestSeen = new Map<string, number>()
  const barsSeen = new Map<string, number>()
  const projected: Array<{ at: number; count: number }> = []
  const until = Date.now() + forMs

  const readRedis = async () => {
    // XREAD's "$" means "after the newest entry now" at every call: start from the newest id instead.
    let last = ((await redis.xrevrange(STREAM, "+", "-", "COUNT", 1))[0]?.[0] as string | undefined) ?? "0-0"
    for (;;) {
      const reply = await redis.xread("COUNT", 1_000_000, "STREAMS", STREAM, last)
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

  const pollLatest = async () => {
    while (Date.now() < until) {
      const res = await fetch(`http://127.0.0.1:${up.http}/api/latest?symbols=${sample.join(",")}`)
      const now = Date.now()
      if (res.ok) {
        const body = (await res.json()) as { quotes?: { symbol: string; frame: string }[] }
        for (const q of body.quotes ?? []) {
          const key = `${q.symbol} ${q.frame}`
          if (!latestSeen.has(key)) latestSeen.set(key, now)
        }
      }
      await sleep(10)
    }
  }

  const pollBars = async () => {
    while (Date.now() < until) {
      await Promise.all(
        sample.map(async (s) => {
          const res = await fetch(`http://127.0.0.1:${up.http}/api/bars?symbol=${s}&period=1m&limit=1`)
          const now = Date.now()
          const frame = ((await res.json()) as { bars?: { frame: string }[] }).bars?.[0]?.frame
          if (frame !== undefined && !barsSeen.has(`${s} ${frame}`)) barsSeen.set(`${s} ${frame}`, now)
        }),
      )
      await sleep(100)
    }
  }

  const pollProjected = async () => {
    while (Date.now() < until) {
      projected.push({ at: Date.now(), count: (await stageCounts(up.http)).projection ?? 0 })
      await sleep(100)
    }
  }

  try {
    await Promise.all([readRedis(), pollLatest(), pollBars(), pollProjected()])
  } finally {
    redis.disconnect()
  }
  return {
    latest: latencies(latestSeen, closedAt),
    bars1m: latencies(barsSeen, closedAt),
    fullMinute: fullMinutes(arrivals, bursts, projected, marketSize),
  }
}

/**
 * When each full-market minute was all in ClickHouse, from its first bar in Redis. The projection's count and
 * the entries read differ by what came before the watch: that offset is taken at the first quiet moment (no
 * entry for 2 s, the count unchanged since the previous poll), and only minutes after it are measured.
 */
const fullMinutes = (
  arrivals: ReadonlyArray<number>,
  bursts: ReadonlyMap<string, ReadonlyArray<Burst>>,
  projected: ReadonlyArray<{ at: number; count: number }>,
  marketSize: number,
): number[] => {
  // Entries in Redis by time t (arrivals are in stream order, so their times never fall).
  const inRedisBy = (t: number) => {
    let lo = 0
    let hi = arrivals.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (arrivals[mid]! <= t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  let base: { at: number; offset: number } | undefined
  for (let i = 1; i < projected.length && base === undefined; i++) {
    const { at, count } = projected[i]!
    const n = inRedisBy(at)
    const quiet = n === 0 || at - arrivals[n - 1]! > 2_000
    if (quiet && count === projected[i - 1]!.count) base = { at, offset: count - n }
  }
  if (base === undefined) return []
  const { at: baseAt, offset } = base
  return [...bursts.values()]
    .flat()
    .filter((b) => b.firstAt > baseAt && b.bars >= marketSize * 0.9)
    .flatMap((b) => {
      const covered = projected.find((p) => p.at >= b.lastAt && p.count - offset >= b.through)
      return covered === undefined ? [] : [covered.at - b.firstAt]
    })
}
