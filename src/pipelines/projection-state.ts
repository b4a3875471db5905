/**
 * What the projection remembers between batches, and rebuilds from ClickHouse when it meets a (symbol, day)
 * for the first time (after a start or a restart): the 1m bars of held days (in the incremental resampler),
 * reference data, and daily closes for computed limits.
 *
 * State: resampler (2 days per symbol), hydrated (symbol|day keys), refs (symbol|day), closes (symbol -> day -> close).
 * Invariant: a (symbol, day) is hydrated before any of its bars is pushed, so derived bars are computed from
 * every 1m bar stored for that day, whatever this process saw.
 */

import { makeIncrementalResampler } from "../domain/incremental-resampler.ts"
import type { InstrumentReference } from "../domain/instrument-reference.ts"

export const dayKey = (symbol: string, day: string): string => `${symbol}|${day}`

export class ProjectionState {
  readonly resampler = makeIncrementalResampler(["5m", "30m", "1d"], { retainDays: 2 })
  readonly hydrated = new Set<string>()
  readonly refs = new Map<string, InstrumentReference>()
  private readonly closes = new Map<string, Map<string, number>>()

  recordClose(symbol: string, day: string, close: number): void {
    let days = this.closes.get(symbol)
    if (days === undefined) {
      days = new Map()
      this.closes.set(symbol, days)
    }
    days.set(day, close)
    // Only the latest few days can be a "previous close" of a day still being projected.
    if (days.size > 4) days.delete([...days.keys()].sort()[0]!)
  }

  /** The close of the latest day before `day` that this projection knows. */
  previousClose(symbol: string, day: string): number | undefined {
    let best: string | undefined
    let close: number | undefined
    for (const [d, c] of this.closes.get(symbol) ?? []) {
      if (d < day && (best === undefined || d > best)) {
        best = d
        close = c
      }
    }
    return close
  }

  /** Forgets hydration marks and reference data of days the resampler no longer holds. */
  prune(newestDay: string): void {
    const cutoff = new Date(Date.parse(`${newestDay}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10)
    for (const key of this.hydrated) if (key.slice(-10) < cutoff) this.hydrated.delete(key)
    for (const key of this.refs.keys()) if (key.slice(-10) < cutoff) this.refs.delete(key)
  }
}
