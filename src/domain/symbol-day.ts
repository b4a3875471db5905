/**
 * One symbol's trading day of 1m bars, built from cumulative ticks: the hot path of the bar builder.
 *
 * State: the cumulatives (shares, yuan, day high, day low) of the last applied tick; the previous close;
 * slots of open/high/low/close/vol/amount/rev (open NaN = no priced trade in the slot); `cur`, the slot of
 * the last tick that moved the cumulatives; `emitted`, how many slots from 09:31 on were published.
 * Only slots from min(cur, emitted) - 1 on are kept (a SlotWindow): the earlier ones are final and published.
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
import { AMOUNT, CLOSE, HIGH, LOW, OPEN, REV, SlotWindow, VOL } from "./slot-window.ts"
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
  readonly slots = new SlotWindow()

  constructor(symbol: SymbolCode) {
    this.symbol = symbol
  }

  /** Starts a new trading day: a new day resets everything but the symbol. */
  reset(midnight: number, frames: ReadonlyArray<string>): void {
    this.midnight = midnight
    this.frames = frames
    this.cumVol = this.cumAmount = this.dayHigh = this.dayLow = this.lastClose = 0
    this.cur = this.emitted = 0
    this.slots.clear()
  }

  /**
   * Forgets the slots nothing reads again: before `cur` they are final, before `emitted` published. The one
   * slot before both stays: its close is what a flat slot after it copies.
   */
  dropFinal(): void {
    this.slots.dropBefore(Math.min(this.cur, this.emitted) - 1)
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
    if (s > this.cur) {
      this.cur = s
      this.dropFinal()
    }
    this.slots.add(s, VOL, dv)
    this.slots.add(s, AMOUNT, da)
    this.cumVol = vol
    this.cumAmount = t.amount
    // Only a tick whose volume rose traded at lastPrice; a repeated snapshot says nothing about prices.
    if (dv > 0 && t.lastPrice > 0) this.price(s, t.lastPrice, t.high, t.low)
    return APPLIED
  }

  // The day high/low catch trades between two snapshots. They are compared with the last traded tick's, and
  // 0 means "none yet": the first trade's bar takes the day's range so far, as it also takes all its volume.
  private price(s: number, p: number, dayHigh: number, dayLow: number): void {
    const w = this.slots
    let high = p
    let low = p
    if (!Number.isNaN(w.get(s, OPEN))) {
      high = Math.max(p, w.get(s, HIGH))
      low = Math.min(p, w.get(s, LOW))
    } else w.set(s, OPEN, p)
    if (dayHigh > this.dayHigh) {
      if (dayHigh > high) high = dayHigh
      this.dayHigh = dayHigh
    }
    if (dayLow > 0 && (this.dayLow === 0 || dayLow < this.dayLow)) {
      if (dayLow < low) low = dayLow
      this.dayLow = dayLow
    }
    w.set(s, HIGH, high)
    w.set(s, LOW, low)
    w.set(s, CLOSE, p)
  }

  /** Publishes slots [from, to) in order (flat slots copy the previous close); `emitted` becomes at least `to`. */
  emitRange(from: number, to: number, out: BarClosed[]): void {
    for (let k = from; k < to; k++) out.push(this.bar(k))
    if (to > this.emitted) {
      this.emitted = to
      this.dropFinal()
    }
  }

  /** Re-publishes the published slot `s` after a late tick, and the flat slots after it whose close moved. */
  revise(s: number, out: BarClosed[]): void {
    const w = this.slots
    w.add(s, REV, 1)
    out.push(this.bar(s))
    for (let k = s + 1; k < this.emitted; k++) {
      if (w.get(k, CLOSE) === w.get(k - 1, CLOSE)) break
      w.add(k, REV, 1)
      out.push(this.bar(k))
    }
  }

  /** Slot `k` as a bar; a slot without a priced trade is flat at the previous close (lastClose for 09:31). */
  bar(k: number): BarClosed {
    const w = this.slots
    let o = w.get(k, OPEN)
    let h = w.get(k, HIGH)
    let l = w.get(k, LOW)
    let c = w.get(k, CLOSE)
    if (Number.isNaN(o)) {
      c = k === 0 ? this.lastClose : w.get(k - 1, CLOSE)
      w.set(k, CLOSE, c)
      o = h = l = c
    }
    return {
      symbol: this.symbol,
      frame: this.frames[k],
      open: o,
      high: h,
      low: l,
      close: c,
      vol: roundShares(w.get(k, VOL)),
      amount: roundAmount(w.get(k, AMOUNT)),
      period: "1m",
      rev: w.get(k, REV),
    }
  }
}
