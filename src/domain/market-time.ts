/**
 * Exchange time: Asia/Shanghai is UTC+8 with no daylight saving since 1991, so local time is plain
 * arithmetic on epoch milliseconds (no time-zone database, fast enough for millions of ticks a second).
 */

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000
export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

/** Milliseconds since local midnight in Shanghai. */
export const localTimeOfDayMs = (epochMs: number): number => {
  const local = epochMs + SHANGHAI_OFFSET_MS
  return local - Math.floor(local / DAY_MS) * DAY_MS
}

/** Epoch ms of the Shanghai midnight that starts the local day of `epochMs`. */
export const localMidnight = (epochMs: number): number => {
  const local = epochMs + SHANGHAI_OFFSET_MS
  return Math.floor(local / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

/** `YYYY-MM-DD` of the Shanghai day containing `epochMs`. */
export const formatDay = (epochMs: number): string => {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** `YYYY-MM-DD HH:MM:SS` in Shanghai time: the frame format of bars on the wire and in tables. */
export const formatFrame = (epochMs: number): string => {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
}

const FRAME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (Shanghai) to epoch ms; NaN if invalid. */
export const parseShanghai = (text: string): number => {
  const m = FRAME_PATTERN.exec(text)
  if (m === null) return Number.NaN
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return Number.NaN
  const utc = Date.UTC(y, mo - 1, d, h, mi, s)
  // Date.UTC rolls 2024-02-30 over to March; a frame that does not round-trip is not a real day.
  if (new Date(utc).getUTCDate() !== d) return Number.NaN
  return utc - SHANGHAI_OFFSET_MS
}

/** Epoch ms of `HH:MM` local on the Shanghai day that contains `dayEpochMs`. */
export const atLocal = (dayEpochMs: number, hh: number, mm: number): number =>
  localMidnight(dayEpochMs) + hh * 3_600_000 + mm * MINUTE_MS
