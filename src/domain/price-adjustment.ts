/**
 * Price adjustment for dividends and splits from the cumulative back-adjustment factor of each trading day
 * (QMT `get_divid_factors`, carried as `adjust` in reference data: back-adjusted price = raw x factor(day)).
 *
 * - back:  raw x factor(day), so the earliest prices stay as traded and later ones grow with reinvestment;
 * - front: raw x factor(day) / factor(latest known day), so the latest prices stay as traded;
 * - a day without a factor takes the nearest earlier known one (none earlier: 1);
 * - volume and amount are never adjusted.
 */
import { Schema } from "effect"

export const AdjustMode = Schema.Literals(["none", "front", "back"])
export type AdjustMode = typeof AdjustMode.Type

export interface DayFactor {
  readonly day: string
  readonly factor: number
}

/** Known factors of one symbol, by day ascending. */
export interface AdjustmentFactors {
  readonly days: ReadonlyArray<string>
  readonly factors: ReadonlyArray<number>
}

/** Sorts the known factors by day; a factor that is not a finite number > 0 counts as unknown. */
export const adjustmentFactors = (known: ReadonlyArray<DayFactor>): AdjustmentFactors => {
  const usable = known
    .filter((k) => Number.isFinite(k.factor) && k.factor > 0)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
  return { days: usable.map((k) => k.day), factors: usable.map((k) => k.factor) }
}

/**
 * Index of the latest known day at or before the day of `frame`, or -1. `YYYY-MM-DD` <= a frame compares
 * as the frame's day does (the day is a prefix of its frames), so no frame is sliced.
 */
const indexAtOrBefore = (f: AdjustmentFactors, frame: string): number => {
  let lo = 0
  let hi = f.days.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (f.days[mid]! <= frame) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

/** The factor in force on the day of `frame` (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`). */
export const factorOn = (f: AdjustmentFactors, frame: string): number => {
  const i = indexAtOrBefore(f, frame)
  return i < 0 ? 1 : f.factors[i]!
}

/** The multiplier of each bar's prices, by its frame; bars in frame order reuse the previous day's lookup. */
export const priceMultipliers = (
  mode: AdjustMode,
  f: AdjustmentFactors,
  frames: ReadonlyArray<string>,
): Float64Array => {
  const out = new Float64Array(frames.length).fill(1)
  if (mode === "none" || f.days.length === 0) return out
  const base = mode === "front" ? f.factors[f.factors.length - 1]! : 1
  let i = -2
  for (let k = 0; k < frames.length; k++) {
    const frame = frames[k]!
    const fits =
      i >= -1 && (i < 0 || f.days[i]! <= frame) && (i + 1 >= f.days.length || f.days[i + 1]! > frame)
    if (!fits) i = indexAtOrBefore(f, frame)
    out[k] = (i < 0 ? 1 : f.factors[i]!) / base
  }
  return out
}

/** The price fields of a bar: what adjustment multiplies. */
export const OHLC = ["open", "high", "low", "close"] as const

/**
 * New columns for `keys` multiplied bar by bar, the others as they are; `none` (or no factor at all) returns
 * the columns untouched.
 */
export const adjustPrices = <C extends { readonly [k in K]: Float64Array }, K extends keyof C>(
  mode: AdjustMode,
  f: AdjustmentFactors,
  frames: ReadonlyArray<string>,
  columns: C,
  keys: ReadonlyArray<K>,
): C => {
  if (mode === "none" || f.days.length === 0) return columns
  const m = priceMultipliers(mode, f, frames)
  const out = { ...columns }
  for (const k of keys) out[k] = columns[k].map((x, i) => x * m[i]!) as C[K]
  return out
}
