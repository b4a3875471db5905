/**
 * One symbol's trading day of 1m bars, built from cumulative ticks: the hot path of the bar builder.
 *
 * State: the cumulatives (shares, yuan, day high, day low) of the last applied tick; the previous close;
 * 240 slots of open/high/low/close/vol/amount/rev (open NaN = no priced trade in the slot); `cur`, the slot of
 * the last tick that moved the cumulatives; `emitted`, how many slots from 09:31 on were published.
 * Invariants:
 * - `cur` only moves forward (a tick stamped before `cur` counts in `cur`), so slots before `cur` are final
 *   and only `cur` and later slots can be revised;
 * - slots after `cur` hold no trade; the published ones close at `cur`'s effective close;
 * - every published slot holds its effective close in `close` (a flat slot's is its predecessor's), which is
 *   what the next flat slot copies;
 * - nothing is published before the first trade of the day (`cumVol > 0`).
 */
import type { BarClosed } from "./bar.ts"
import { roundAmount, roundShares } from "./bar-rounding.ts"
import { SLOTS_PER_DAY } from "./session-grid.ts"
import type { SymbolCode } from "./symbol.ts"
import { cumulativeShares, type Tick } from "./tick.ts"

/** `apply` outcomes: the tick changed nothing, changed the slot `cur`, or was rejected (state unchanged). */
export const UNCHANGED = 0
export const APPLIED = 1
export const VOLUME_FELL = -1
export const AMOUNT_FELL = -2

export class SymbolDay {
  readonly symbol: SymbolCode
  midnight = 0
  frames: ReadonlyArray<string> = []
  cumVol = 0
  cumAmount = 0
  dayHigh = 0
  dayLow = 0
  lastClose = 0
  cur = 0
  emitted = 0
  readonly open = new Float64Array(SLOTS_PER_DAY).fill(Number.NaN)
  readonly high = new Float64Array(SLOTS_PER_DAY)
  readonly low = new Float64Array(SLOTS_PER_DAY)
  readonly close = new Float64Array(SLOTS_PER_DAY)
  readonly vol = new Float64Array(SLOTS_PER_DAY)
  readonly amount = new Float64Array(SLOTS_PER_DAY)
  readonly rev = new Uint32Array(SLOTS_PER_DAY)

  constructor(symbol: SymbolCode) {
    this.symbol = symbol
  }

  /** Starts a new trading day: a new day resets everything but the symbol. */
  reset(midnight: number, frames: ReadonlyArray<string>): void {
    this.midnight = midnight
    this.frames = frames
    this.cumVol = this.cumAmount = this.dayHigh = this.dayLow = this.lastClose = 0
    this.cur = this.emitted = 0
    this.open.fill(Number.NaN)
    this.high.fill(0)
    this.low.fill(0)
    this.close.fill(0)
    this.vol.fill(0)
    this.amount.fill(0)
    this.rev.fill(0)
  }

  get traded(): boolean {
    return this.cumVol > 0
  }

  /** Adds the rise of the cumulatives since the last tick to slot max(slot, cur). */
  apply(t: Tick, slot: number): number {
    const vol = cumulativeShares(t)
    const dv = vol - this.cumVol
    const da = t.amount - this.cumAmount
    if (dv < 0) return VOLUME_FELL
    if (da < 0) return AMOUNT_FELL
    if (t.lastClose > 0) this.lastClose = t.lastClose
    if (dv === 0 && da === 0) return UNCHANGED
    const s = Math.max(slot, this.cur)
    this.cur = s
    this.vol[s] += dv
    this.amount[s] += da
    this.cumVol = vol
    this.cumAmount = t.amount
    // Only a tick whose volume rose traded at lastPrice; a repeated snapshot says nothing about prices.
    if (dv > 0 && t.lastPrice > 0) this.price(s, t.lastPrice, t.high, t.low)
    return APPLIED
  }

  // The day high/low catch trades between two snapshots. They are compared with the last traded tick's, and
  // 0 means "none yet": the first trade's bar takes the day's range so far, as it also takes all its volume.
  private price(s: number, p: number, dayHigh: number, dayLow: number): void {
    if (Number.isNaN(this.open[s])) {
      this.open[s] = this.high[s] = this.low[s] = p
    } else {
      if (p > this.high[s]) this.high[s] = p
      if (p < this.low[s]) this.low[s] = p
    }
    this.close[s] = p
    if (dayHigh > this.dayHigh) {
      if (dayHigh > this.high[s]) this.high[s] = dayHigh
      this.dayHigh = dayHigh
    }
    if (dayLow > 0 && (this.dayLow === 0 || dayLow < this.dayLow)) {
      if (dayLow < this.low[s]) this.low[s] = dayLow
      this.dayLow = dayLow
    }
  }

  /** Publishes slots [from, to) in order (flat slots copy the previous close); `emitted` becomes at least `to`. */
  emitRange(from: number, to: number, out: BarClosed[]): void {
    for (let k = from; k < to; k++) out.push(this.bar(k))
    if (to > this.emitted) this.emitted = to
  }

  /** Re-publishes the published slot `s` after a late tick, and the flat slots after it whose close moved. */
  revise(s: number, out: BarClosed[]): void {
    this.rev[s]++
    out.push(this.bar(s))
    for (let k = s + 1; k < this.emitted; k++) {
      if (this.close[k] === this.close[k - 1]) break
      this.rev[k]++
      out.push(this.bar(k))
    }
  }

  /** Slot `k` as a bar; a slot without a priced trade is flat at the previous close (lastClose for 09:31). */
  bar(k: number): BarClosed {
    let o = this.open[k]
    let h = this.high[k]
    let l = this.low[k]
    let c = this.close[k]
    if (Number.isNaN(o)) {
      c = k === 0 ? this.lastClose : this.close[k - 1]
      this.close[k] = c
      o = h = l = c
    }
    return {
      symbol: this.symbol,
      frame: this.frames[k],
      open: o,
      high: h,
      low: l,
      close: c,
      vol: roundShares(this.vol[k]),
      amount: roundAmount(this.amount[k]),
      period: "1m",
      rev: this.rev[k],
    }
  }
}
