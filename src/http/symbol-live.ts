/**
 * One symbol's live state in the latest-bar view and the rules that fold 1m bars into it: the newest bar
 * (highest frame, then rev), the day's volume so far, and the previous day's close for the change.
 *
 * Invariants of a SymbolLive: `bar` is the newest bar seen for the symbol; `dayVol` is the volume of the
 * bar's day (from the daily table at first sight, then exact per bar); `recent` holds the last few bars of
 * that day with the rev and vol counted, newest last, so a late revision corrects `dayVol` by its difference.
 */
import type { BarClosed } from "../domain/bar.ts"

/** A daily bar as ClickHouse has it: what the view starts from when it first sees a symbol. */
export interface DailyHint {
  readonly day: string
  readonly close: number
  readonly vol: number
}

interface Counted {
  readonly frame: string
  rev: number
  vol: number
}

export interface SymbolLive {
  bar: BarClosed
  dayVol: number
  /** Close of the trading day before the bar's day, when known. */
  prevClose: number | undefined
  recent: Counted[]
}

// Revisions come within the bar-close grace of a few seconds: the last bars are enough to correct them.
const RECENT = 8

const dayOf = (frame: string): string => frame.slice(0, 10)

const counted = (b: BarClosed): Counted => ({ frame: b.frame, rev: b.rev, vol: b.vol })

/**
 * The state at a symbol's first bar. `daily` is newest first; a daily row of the bar's own day already counts
 * the minutes the projection has written (the bar included, the projection runs just behind the log).
 */
export const firstSight = (bar: BarClosed, daily: ReadonlyArray<DailyHint>): SymbolLive => {
  const day = dayOf(bar.frame)
  const same = daily[0]?.day === day ? daily[0] : undefined
  const before = daily.find((d) => d.day < day)
  return {
    bar,
    dayVol: same === undefined ? bar.vol : Math.max(same.vol, bar.vol),
    prevClose: before?.close,
    recent: [counted(bar)],
  }
}

/** Folds a bar into the state; false when it changes nothing (older, or a rev already seen). */
export const applyBar = (s: SymbolLive, bar: BarClosed): boolean => {
  const day = dayOf(bar.frame)
  const current = dayOf(s.bar.frame)
  if (day < current) return false
  if (day > current) {
    s.prevClose = s.bar.close
    s.bar = bar
    s.dayVol = bar.vol
    s.recent = [counted(bar)]
    return true
  }
  const seen = s.recent.find((r) => r.frame === bar.frame)
  if (seen !== undefined) {
    if (bar.rev <= seen.rev) return false
    s.dayVol += bar.vol - seen.vol
    seen.rev = bar.rev
    seen.vol = bar.vol
    if (bar.frame === s.bar.frame) s.bar = bar
    return true
  }
  // An older minute not among the recent ones is already in dayVol (hydrated) or too late to matter.
  if (bar.frame < s.bar.frame) return false
  s.bar = bar
  s.dayVol += bar.vol
  s.recent.push(counted(bar))
  if (s.recent.length > RECENT) s.recent.shift()
  return true
}
