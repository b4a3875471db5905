/**
 * The bar builder's persisted state: per symbol, just enough to continue the day after a restart exactly as
 * an uninterrupted run would (no lost, no double-counted volume, the same revisions). Plain JSON.
 */
import { Schema } from "effect"
import type { BarClosed } from "./bar.ts"
import { formatDay, parseShanghai } from "./market-time.ts"
import { dayOfFrame, slotOfFrame } from "./session-grid.ts"
import { AMOUNT, CLOSE, HIGH, LOW, OPEN, REV, type SlotField, VOL } from "./slot-window.ts"
import { SymbolCode } from "./symbol.ts"
import { SymbolDay } from "./symbol-day.ts"
import { cumulativeShares, type Tick } from "./tick.ts"

const Num = Schema.Finite
const Count = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))

/** One slot: `[open, high, low, close, vol, amount, rev]`; open null = no priced trade (flat slot). */
export const SlotSnapshot = Schema.Tuple([Schema.NullOr(Num), Num, Num, Num, Num, Num, Count])
export type SlotSnapshot = typeof SlotSnapshot.Type

export const SymbolSnapshot = Schema.Struct({
  symbol: SymbolCode,
  /** Trading day `YYYY-MM-DD`; a tick of a later day resets the symbol. */
  day: Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/))),
  /** Cumulatives of the last applied tick: shares, yuan, day high, day low (0 = none yet). */
  cumVol: Num,
  cumAmount: Num,
  dayHigh: Num,
  dayLow: Num,
  /** Previous day's close: the price of flat bars before the first trade. */
  lastClose: Num,
  /** Slot of the last tick that moved the cumulatives; slots before it are final. */
  cur: Count,
  /** Slots [0, emitted) were published. */
  emitted: Count,
  /** Close of the slot before `slots` (lastClose when `slots` starts at 09:31). */
  closeBefore: Num,
  /** Slots min(cur, emitted) .. cur: the unpublished ones and `cur`, which a late tick can revise. */
  slots: Schema.Array(SlotSnapshot),
  /** `[slot, rev]` of published flat slots after `cur` whose rev is not 0 (their close is `cur`'s). */
  flatRevs: Schema.Array(Schema.Tuple([Count, Count])),
})
export type SymbolSnapshot = typeof SymbolSnapshot.Type

export const BuilderState = Schema.Struct({
  version: Schema.Literal(1),
  /** Latest clock seen by `onClock` (epoch ms), null before the first; decides which held bars a first trade releases. */
  clockMs: Schema.NullOr(Num),
  symbols: Schema.Array(SymbolSnapshot),
})
export type BuilderState = typeof BuilderState.Type

/** The persisted form of one symbol's day. */
export const snapshotSymbol = (d: SymbolDay): SymbolSnapshot => {
  const from = Math.min(d.cur, d.emitted)
  const slots: SlotSnapshot[] = []
  const w = d.slots
  for (let k = from; k <= d.cur; k++) {
    const o = w.get(k, OPEN)
    const at = (field: SlotField) => w.get(k, field)
    slots.push([Number.isNaN(o) ? null : o, at(HIGH), at(LOW), at(CLOSE), at(VOL), at(AMOUNT), at(REV)])
  }
  const flatRevs: Array<readonly [number, number]> = []
  for (let k = d.cur + 1; k < d.emitted; k++) if (w.get(k, REV) !== 0) flatRevs.push([k, w.get(k, REV)])
  return {
    symbol: d.symbol,
    day: formatDay(d.midnight),
    cumVol: d.cumVol,
    cumAmount: d.cumAmount,
    dayHigh: d.dayHigh,
    dayLow: d.dayLow,
    lastClose: d.lastClose,
    cur: d.cur,
    emitted: d.emitted,
    closeBefore: from === 0 ? d.lastClose : w.get(from - 1, CLOSE),
    slots,
    flatRevs,
  }
}

/** Rebuilds a symbol's day from its snapshot; `framesOf` gives the 240 frame strings of a day. */
export const restoreSymbol = (
  snap: SymbolSnapshot,
  framesOf: (midnight: number) => ReadonlyArray<string>,
): SymbolDay => {
  const d = new SymbolDay(snap.symbol)
  const midnight = parseShanghai(snap.day)
  d.reset(midnight, framesOf(midnight))
  d.cumVol = snap.cumVol
  d.cumAmount = snap.cumAmount
  d.dayHigh = snap.dayHigh
  d.dayLow = snap.dayLow
  d.lastClose = snap.lastClose
  d.cur = snap.cur
  d.emitted = snap.emitted
  d.dropFinal()
  const w = d.slots
  const from = snap.cur - snap.slots.length + 1
  if (from > 0) w.set(from - 1, CLOSE, snap.closeBefore)
  snap.slots.forEach((slot, i) => {
    const k = from + i
    if (slot[0] !== null) w.set(k, OPEN, slot[0])
    // A SlotSnapshot lists a slot's numbers in the window's field order: index = field.
    for (const field of [HIGH, LOW, CLOSE, VOL, AMOUNT, REV] as const) w.set(k, field, slot[field])
  })
  for (let k = snap.cur + 1; k < snap.emitted; k++) w.set(k, CLOSE, w.get(snap.cur, CLOSE))
  for (const [k, rev] of snap.flatRevs) w.set(k, REV, rev)
  return d
}

/**
 * A seed for a symbol when no snapshot was persisted but its last published 1m bar and the last tick counted in
 * that bar are known (e.g. from the bar log and the tick store). The ticks after `tick` continue from there: a
 * late one revises `bar` (from its rev), later ones fill the following bars, and nothing is counted twice.
 * Returns undefined when `bar` is not a 1m bar on the 240-minute grid.
 */
export const seedSymbol = (tick: Tick, bar: BarClosed): SymbolSnapshot | undefined => {
  const slot = bar.period === "1m" ? slotOfFrame(bar.frame) : -1
  if (slot < 0) return undefined
  // A bar without volume is flat: stored unpriced, so a late trade sets its prices instead of widening them.
  const open = bar.vol > 0 ? bar.open : null
  return {
    symbol: tick.symbol,
    day: dayOfFrame(bar.frame),
    cumVol: cumulativeShares(tick),
    cumAmount: tick.amount,
    dayHigh: tick.high,
    dayLow: tick.low,
    lastClose: tick.lastClose,
    cur: slot,
    emitted: slot + 1,
    // Read only when the slot is flat, whose close is its predecessor's.
    closeBefore: bar.close,
    slots: [[open, bar.high, bar.low, bar.close, bar.vol, bar.amount, bar.rev]],
    flatRevs: [],
  }
}
