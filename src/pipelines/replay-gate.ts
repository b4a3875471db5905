/**
 * Recognises ticks the builder has already applied, so they are skipped silently: a bridge restarted mid-day
 * may send again what it sent before (QMT re-sends current snapshots; the stand-in replays its file from the
 * start), and those would otherwise look like falling cumulative volume and be reported as bad.
 *
 * State: per symbol, the time and cumulative shares of the last tick the builder accepted.
 * Invariant: only accepted ticks are recorded; a tick is a replay when it is older than the recorded one, or
 * as old and carries no more volume.
 */
import { cumulativeShares, type Tick } from "../domain/tick.ts"

export class ReplayGate {
  private readonly last: Map<string, [time: number, shares: number]>

  constructor(saved: Readonly<Record<string, readonly [number, number]>> = {}) {
    this.last = new Map(Object.entries(saved).map(([s, [t, v]]) => [s, [t, v]]))
  }

  isReplay(tick: Tick): boolean {
    const seen = this.last.get(tick.symbol)
    if (seen === undefined) return false
    return tick.time < seen[0] || (tick.time === seen[0] && cumulativeShares(tick) <= seen[1])
  }

  accepted(tick: Tick): void {
    const seen = this.last.get(tick.symbol)
    if (seen === undefined) this.last.set(tick.symbol, [tick.time, cumulativeShares(tick)])
    else {
      seen[0] = tick.time
      seen[1] = cumulativeShares(tick)
    }
  }

  toJSON(): Record<string, [number, number]> {
    return Object.fromEntries(this.last)
  }
}
