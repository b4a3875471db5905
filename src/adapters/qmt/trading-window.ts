/**
 * When QMT should be pushing ticks: weekdays 09:15-11:30 and 13:00-15:00 Shanghai time (call auction included).
 * Exchange holidays are not known here, so on a holiday a stalled-feed restart happens now and then (with backoff).
 */
import { localTimeOfDayMs, SHANGHAI_OFFSET_MS } from "../../domain/market-time.ts"

const MINUTE = 60_000
const MORNING = [(9 * 60 + 15) * MINUTE, (11 * 60 + 30) * MINUTE] as const
const AFTERNOON = [13 * 60 * MINUTE, 15 * 60 * MINUTE] as const

/** True when a market time falls in a session in which a silent feed means a stalled QMT. */
export const expectsTicks = (marketMs: number): boolean => {
  const weekday = new Date(marketMs + SHANGHAI_OFFSET_MS).getUTCDay()
  if (weekday === 0 || weekday === 6) return false
  const t = localTimeOfDayMs(marketMs)
  return (t >= MORNING[0] && t < MORNING[1]) || (t >= AFTERNOON[0] && t < AFTERNOON[1])
}
