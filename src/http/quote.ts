/** A symbol's realtime quote as the API shows it: its newest 1m bar, the day's volume and the change. */
import type { SymbolLive } from "./symbol-live.ts"

export interface Quote {
  readonly symbol: string
  readonly name: string | null
  /** End of the newest 1m bar, `YYYY-MM-DD HH:MM:SS` Shanghai time. */
  readonly frame: string
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly vol: number
  readonly amount: number
  readonly rev: number
  /** Volume of the bar's trading day so far. */
  readonly dayVol: number
  /** The previous close the change is measured against (reference data of the day, else the last close). */
  readonly preClose: number | null
  readonly change: number | null
  readonly changePct: number | null
}

/** What the reference data says about the symbol's day (from the log or the instrument_ref table). */
export interface RefHint {
  readonly day: string
  readonly name: string
  readonly preClose: number
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export const quoteOf = (symbol: string, s: SymbolLive, ref: RefHint | undefined, name?: string): Quote => {
  const b = s.bar
  // A reference of another day has another day's previous close: only the bar's own day counts.
  const preClose = ref !== undefined && ref.day === b.frame.slice(0, 10) ? ref.preClose : s.prevClose
  const change = preClose === undefined || preClose <= 0 ? null : round(b.close - preClose, 4)
  return {
    symbol,
    name: ref?.name ?? name ?? null,
    frame: b.frame,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    vol: b.vol,
    amount: b.amount,
    rev: b.rev,
    dayVol: s.dayVol,
    preClose: preClose ?? null,
    change,
    changePct: change === null || preClose === undefined ? null : round((change / preClose) * 100, 3),
  }
}
