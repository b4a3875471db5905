/**
 * Live latency of the end-to-end benchmark, from each bar's close as the system saw it: the moment its entry
 * reached Redis (the source XADDs a bar the moment it closes on the exchange clock plus grace; read here with
 * XREAD as entries arrive, on the same host's clock), to
 * - /api/latest showing it: sampled symbols, polled every 10 ms;
 * - bars_1m holding it: /api/bars of the sampled symbols, polled every 100 ms;
 * - the whole minute of the market in bars_1m: the projection's counter reaching the number of events Redis had
 *   when the minute's last bar came (polled every 100 ms from /metrics).
 */
import { Redis } from "ioredis"
import { stageCounts, type UpProcess } from "./e2e-process.ts"

const STREAM = "minutebar:events"
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Minute {
  readonly firstAt: number
  lastAt: number
  bars: number
  /** Events seen in Redis (since the watch began) when this minute's last bar came. */
  cumulative: number
  /** When the projection's count first covered `cumulative`, for the `cumulative` it was checked against. */
  covered?: { at: number; cumulative: number }
}

export interface LiveLatency {
  readonly latest: number[]
  readonly bars1m: number[]
  readonly fullMinute: number[]
}

export const measureLive = async (
  up: UpProcess,
  sample: ReadonlyArray<string>,
  marketSize: number,
  forMs: number,
) => {
  const redis = new Redis({ host: "127.0.0.1", port: up.redis, lazyConnect: true })
  await redis.connect()
  const closedAt = new Map<string, number>() // "symbol frame" -> arrival in Redis
  const minutes = new Map<string, Minute>()
  const wanted = new Set(sample)
  const result: LiveLatency = { latest: [], bars1m: [], fullMinute: [] }
  const until = Date.now() + forMs
  let seen = 0
  let lastArrival = Date.now()

  const watchRedis = async () => {
    let last = "$"
    while (Date.now() < until) {
      const reply = await redis.xread("COUNT", 10_000, "BLOCK", 500, "STREAMS", STREAM, last)
      const now = Date.now()
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          last = id
          seen++
          lastArrival = now
          if (fields[1] !== "bar") continue
          const bar = JSON.parse(fields[3]!) as { symbol: string; frame: string }
          const m = minutes.get(bar.frame)
          if (m === undefined)
            minutes.set(bar.frame, { firstAt: now, lastAt: now, bars: 1, cumulative: seen })
          else {
            m.lastAt = now
            m.bars++
            m.cumulative = seen
          }
          if (wanted.has(bar.symbol) && !closedAt.has(`${bar.symbol} ${bar.frame}`))
            closedAt.set(`${bar.symbol} ${bar.frame}`, now)
        }
      }
    }
  }

  const pollLatest = async () => {
    const shown = new Set<string>()
    while (Date.now() < until) {
      const res = await fetch(`http://127.0.0.1:${up.http}/api/latest?symbols=${sample.join(",")}`)
      const now = Date.now()
      if (res.ok) {
        const body = (await res.json()) as { quotes?: { symbol: string; frame: string }[] }
        for (const q of body.quotes ?? []) {
          const key = `${q.symbol} ${q.frame}`
          const at = closedAt.get(key)
          if (at !== undefined && !shown.has(key)) {
            shown.add(key)
            result.latest.push(now - at)
          }
        }
      }
      await sleep(10)
    }
  }

  const pollBars = async () => {
    const shown = new Set<string>()
    while (Date.now() < until) {
      await Promise.all(
        sample.map(async (s) => {
          const res = await fetch(`http://127.0.0.1:${up.http}/api/bars?symbol=${s}&period=1m&limit=1`)
          const now = Date.now()
          const frame = ((await res.json()) as { bars?: { frame: string }[] }).bars?.[0]?.frame
          const at = frame === undefined ? undefined : closedAt.get(`${s} ${frame}`)
          if (at !== undefined && !shown.has(`${s} ${frame}`)) {
            shown.add(`${s} ${frame}`)
            result.bars1m.push(now - at)
          }
        }),
      )
      await sleep(100)
    }
  }

  // The projection's count and Redis' count differ by what came before the watch: that offset is taken once
  // the system is quiet (no entry for 2 s, the count unchanged), and only minutes after that are measured.
  const pollMinutes = async () => {
    let base: { offset: number; at: number } | undefined
    let previous = -1
    while (Date.now() < until) {
      const now = Date.now()
      const projected = (await stageCounts(up.http)).projection ?? 0
      if (base === undefined) {
        if (now - lastArrival > 2_000 && projected === previous) base = { offset: projected - seen, at: now }
        previous = projected
      } else {
        for (const [frame, m] of minutes) {
          if (m.firstAt <= base.at) continue
          if (m.covered !== undefined && m.covered.cumulative !== m.cumulative) delete m.covered
          if (m.covered === undefined && projected - base.offset >= m.cumulative)
            m.covered = { at: now, cumulative: m.cumulative }
          // A minute's bars come in one burst: once it is over and covered, the minute is done. Late
          // revisions of a minute already done come one by one: they are not a minute of the market.
          if (m.covered !== undefined && now - m.lastAt > 1_000) {
            if (m.bars >= marketSize * 0.9) result.fullMinute.push(m.covered.at - m.firstAt)
            minutes.delete(frame)
          }
        }
      }
      await sleep(100)
    }
  }

  try {
    await Promise.all([watchRedis(), pollLatest(), pollBars(), pollMinutes()])
  } finally {
    redis.disconnect()
  }
  return result
}
