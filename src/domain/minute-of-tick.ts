/**
 * Which 1m bar a tick belongs to: the bar ending at the next whole minute during the sessions, the 09:31 bar
 * before the open (opening auction), 11:30 over lunch, 15:00 until 15:05 (closing auction), none after.
 */
import { localMidnight, MINUTE_MS } from "./market-time.ts"
import { slotEndMinute } from "./session-grid.ts"

const MORNING_OPEN = 9 * 60 + 30
const MORNING_CLOSE = 11 * 60 + 30
const AFTERNOON_OPEN = 13 * 60
const AFTERNOON_CLOSE = 15 * 60
const IGNORED_FROM = 15 * 60 + 5

const slotOfTickMinute = (m: number): number => {
  if (m < MORNING_OPEN) return 0
  if (m < MORNING_CLOSE) return m - MORNING_OPEN
  if (m < AFTERNOON_OPEN) return 119
  if (m < AFTERNOON_CLOSE) return 120 + (m - AFTERNOON_OPEN)
  if (m < IGNORED_FROM) return 239
  return -1
}

// One table lookup per tick on the hot path instead of five comparisons.
const SLOT_BY_TICK_MINUTE = Int16Array.from({ length: 1440 }, (_, m) => slotOfTickMinute(m))

/** Slot (0..239) of a tick `msOfDay` milliseconds after local midnight, or -1 when the tick is ignored (>= 15:05). */
export const slotOfTickTimeOfDay = (msOfDay: number): number => SLOT_BY_TICK_MINUTE[(msOfDay / MINUTE_MS) | 0]

/** Epoch ms at which the bar holding a tick at `epochMs` ends, or undefined when the tick is ignored. */
export const barEndOfTick = (epochMs: number): number | undefined => {
  const midnight = localMidnight(epochMs)
  const slot = slotOfTickTimeOfDay(epochMs - midnight)
  return slot < 0 ? undefined : midnight + slotEndMinute(slot) * MINUTE_MS
}
