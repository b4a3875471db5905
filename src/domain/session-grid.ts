/** The A-share day as 240 end-labelled 1m slots (09:31..11:30, 13:01..15:00) and the bucket grids of coarser periods. */

export const SLOTS_PER_DAY = 240
const SESSION_SLOTS = 120
const MORNING_OPEN = 9 * 60 + 30
const AFTERNOON_OPEN = 13 * 60
const MINUTES_PER_DAY = 1440

/** Minute of the local day at which `slot` ends: its label (slot 0 -> 09:31, slot 239 -> 15:00). */
export const slotEndMinute = (slot: number): number =>
  slot < SESSION_SLOTS ? MORNING_OPEN + 1 + slot : AFTERNOON_OPEN + 1 + (slot - SESSION_SLOTS)

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const minuteLabel = (minute: number): string => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00`

/** `HH:MM:00` label of each slot, precomputed so frames are built by one concatenation per emitted bar. */
export const SLOT_LABELS: ReadonlyArray<string> = Array.from({ length: SLOTS_PER_DAY }, (_, s) =>
  minuteLabel(slotEndMinute(s)),
)

const SLOT_BY_END_MINUTE = new Int16Array(MINUTES_PER_DAY).fill(-1)
for (let s = 0; s < SLOTS_PER_DAY; s++) SLOT_BY_END_MINUTE[slotEndMinute(s)] = s

// ENDED_BY_MINUTE[m] = how many slots end at or before minute m: the slots a clock at m has passed.
const ENDED_BY_MINUTE = new Int16Array(MINUTES_PER_DAY)
for (let m = 0, n = 0; m < MINUTES_PER_DAY; m++) {
  if (SLOT_BY_END_MINUTE[m] >= 0) n++
  ENDED_BY_MINUTE[m] = n
}

/** Number of slots whose end is at or before `msOfDay` (milliseconds since local midnight). */
export const slotsEndedBy = (msOfDay: number): number =>
  msOfDay < 0 ? 0 : msOfDay >= 86_400_000 ? SLOTS_PER_DAY : ENDED_BY_MINUTE[(msOfDay / 60_000) | 0]

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48
  return d >= 0 && d <= 9 ? d : Number.NaN
}

/**
 * Slot of a bar frame `YYYY-MM-DD HH:MM:00`, read at fixed positions without allocating, or -1 when the
 * frame is not one of the 240 labels (a daily frame, a 09:30 bar, seconds other than 00).
 */
export const slotOfFrame = (frame: string): number => {
  if (frame.length !== 19 || frame.charCodeAt(17) !== 48 || frame.charCodeAt(18) !== 48) return -1
  const minute = (digit(frame, 11) * 10 + digit(frame, 12)) * 60 + digit(frame, 14) * 10 + digit(frame, 15)
  return minute >= 0 && minute < MINUTES_PER_DAY ? SLOT_BY_END_MINUTE[minute] : -1
}

/** `YYYY-MM-DD` part of a frame. */
export const dayOfFrame = (frame: string): string => frame.slice(0, 10)

/** Periods resampled from 1m bars. */
export type ResamplePeriod = "5m" | "30m" | "60m" | "1d"

/** Where each slot falls in a period's buckets; a bucket is a run of consecutive slots. */
export interface BucketGrid {
  readonly period: ResamplePeriod
  readonly bucketCount: number
  readonly bucketOfSlot: Int16Array
  readonly firstSlot: Int16Array
  readonly lastSlot: Int16Array
  /** `HH:MM:00` end label of each bucket; "" for 1d, whose frame is the day alone. */
  readonly labels: ReadonlyArray<string>
}

const PERIOD_MINUTES: Record<ResamplePeriod, number> = { "5m": 5, "30m": 30, "60m": 60, "1d": SLOTS_PER_DAY }

// Buckets count from each session's start (09:30, 13:00) and are capped at the session's end, so no bucket
// spans the lunch break; 1d is one bucket of all 240 slots.
const buildGrid = (period: ResamplePeriod): BucketGrid => {
  const minutes = PERIOD_MINUTES[period]
  const bucketOfSlot = new Int16Array(SLOTS_PER_DAY)
  const first: number[] = []
  const last: number[] = []
  for (let s = 0; s < SLOTS_PER_DAY; s++) {
    const inSession = period === "1d" ? s : s % SESSION_SLOTS
    const isNew = period === "1d" ? s === 0 : inSession % minutes === 0
    if (isNew) first.push(s)
    bucketOfSlot[s] = first.length - 1
    last[first.length - 1] = s
  }
  return {
    period,
    bucketCount: first.length,
    bucketOfSlot,
    firstSlot: Int16Array.from(first),
    lastSlot: Int16Array.from(last),
    labels: last.map((s) => (period === "1d" ? "" : SLOT_LABELS[s])),
  }
}

const GRIDS: Record<ResamplePeriod, BucketGrid> = {
  "5m": buildGrid("5m"),
  "30m": buildGrid("30m"),
  "60m": buildGrid("60m"),
  "1d": buildGrid("1d"),
}

/** The bucket grid of a resample period. */
export const bucketGrid = (period: ResamplePeriod): BucketGrid => GRIDS[period]

/** Frame of bucket `bucket` on `day` (`YYYY-MM-DD`): `day HH:MM:00`, or `day` for 1d. */
export const bucketFrame = (grid: BucketGrid, day: string, bucket: number): string =>
  grid.period === "1d" ? day : `${day} ${grid.labels[bucket]}`
