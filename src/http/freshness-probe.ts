/**
 * The health check of data freshness: during a trading session the newest 1m bar must be at most 2 minutes
 * behind the exchange clock. Outside sessions (and on weekends) old data is expected and passes.
 */
import { Effect } from "effect"
import { localMidnight, localTimeOfDayMs, parseShanghai, SHANGHAI_OFFSET_MS } from "../domain/market-time.ts"
import type { Newest } from "./latest-bars.ts"
import { type HealthProbe, ProbeDegraded } from "./routes/health-route.ts"

const MINUTE = 60_000
export const MAX_BEHIND_MS = 2 * MINUTE
const SESSIONS = [
  [(9 * 60 + 30) * MINUTE, (11 * 60 + 30) * MINUTE],
  [13 * 60 * MINUTE, 15 * 60 * MINUTE],
] as const

/** Epoch ms at which the session containing `nowMs` opened, or undefined outside sessions. */
export const sessionOpenAt = (nowMs: number): number | undefined => {
  const weekday = new Date(nowMs + SHANGHAI_OFFSET_MS).getUTCDay()
  if (weekday === 0 || weekday === 6) return undefined
  const t = localTimeOfDayMs(nowMs)
  const session = SESSIONS.find(([open, close]) => t >= open && t < close)
  return session === undefined ? undefined : localMidnight(nowMs) + session[0]
}

/** Why the data is stale at `nowMs`, or undefined when it is fresh enough (or the market is closed). */
export const staleness = (nowMs: number, newest: Newest | undefined): string | undefined => {
  const open = sessionOpenAt(nowMs)
  if (open === undefined) return undefined
  // A session's first bar ends a minute after its open: measure from the open until a bar of it arrives.
  const last = newest === undefined ? Number.NEGATIVE_INFINITY : parseShanghai(newest.frame)
  const behind = nowMs - Math.max(last, open)
  if (behind <= MAX_BEHIND_MS) return undefined
  return `no new bar for ${Math.floor(behind / 1000)} s in trading hours (newest: ${newest?.frame ?? "none"})`
}

export const freshnessProbe = (
  newest: () => Newest | undefined,
  now: () => number = Date.now,
): HealthProbe => ({
  name: "freshness",
  check: Effect.suspend(() => {
    const reason = staleness(now(), newest())
    return reason === undefined ? Effect.void : Effect.fail(new ProbeDegraded({ reason }))
  }),
})
