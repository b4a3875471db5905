/**
 * A fast accept-only check of a `BarClosed` payload for the projection's hot path (hundreds of thousands of
 * bars a minute during a replay). It accepts a subset of what the `BarClosed` schema accepts and returns the
 * same value; anything it does not accept goes to the schema, which decides and says why.
 * test/domain/bar-closed-fast.test.ts pins the subset against the schema.
 */
import { Result, Schema } from "effect"
import { BarClosed, MAX_REV } from "./bar.ts"
import { slotOfFrame } from "./session-grid.ts"
import { isSymbolCode } from "./symbol.ts"

const FRAME = /^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}:\d{2}$/

// A real day of 2000..2099, as the schema's frame check wants; anything else is left to the schema.
const isRealDay = (y: number, m: number, d: number): boolean =>
  y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()

const nonNegative = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0

// Every symbol's bar of a minute has the same frame: one accepted is remembered, and the next ~5,000 are a
// lookup. Bounded: a replay of years holds ~60,000 frames a year.
const sessionFrames = new Set<string>()
const MAX_REMEMBERED = 100_000

/** A session minute's `YYYY-MM-DD HH:MM:SS` label on a real day of 2000..2099. */
const isSessionFrame = (frame: string): boolean => {
  if (sessionFrames.has(frame)) return true
  const day = FRAME.exec(frame)
  if (day === null || !isRealDay(Number(day[1]), Number(day[2]), Number(day[3])) || slotOfFrame(frame) < 0)
    return false
  if (sessionFrames.size >= MAX_REMEMBERED) sessionFrames.clear()
  sessionFrames.add(frame)
  return true
}

/** The bar of a parsed JSON value when it plainly is one; undefined means "ask the schema". */
export const plainBarClosed = (v: unknown): BarClosed | undefined => {
  if (typeof v !== "object" || v === null) return undefined
  const { symbol, frame, open, high, low, close, vol, amount, period, rev } = v as Record<string, unknown>
  if (typeof symbol !== "string" || !isSymbolCode(symbol)) return undefined
  // Only 1m bars on a session minute take the fast path: other periods' grids are the schema's to check.
  if (period !== "1m" || typeof frame !== "string" || !isSessionFrame(frame)) return undefined
  if (!nonNegative(open) || !nonNegative(high) || !nonNegative(low) || !nonNegative(close)) return undefined
  if (!nonNegative(vol) || !nonNegative(amount)) return undefined
  if (!(low <= high && low <= open && low <= close && open <= high && close <= high)) return undefined
  if (typeof rev !== "number" || !Number.isSafeInteger(rev) || rev < 0 || rev > MAX_REV) return undefined
  // A new object with the schema's fields only, as decoding gives (extra keys are dropped).
  return { symbol, frame, open, high, low, close, vol, amount, period, rev } as BarClosed
}

const decodeBarSchema = Schema.decodeUnknownResult(Schema.fromJsonString(BarClosed))

/**
 * A `BarClosed` from its JSON: plain bars by the fast check, the rest (and every malformed payload) by the
 * schema, which says what is wrong.
 */
export const decodeBarClosedJson = (text: string): Result.Result<BarClosed, { readonly message: string }> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return decodeBarSchema(text)
  }
  const plain = plainBarClosed(parsed)
  return plain === undefined ? decodeBarSchema(text) : Result.succeed(plain)
}
