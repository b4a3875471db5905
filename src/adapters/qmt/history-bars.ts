/**
 * QMT 1m history bars of one symbol and day -> the 240 bars a live day of the same symbol has, so a backfilled
 * day and a live day are indistinguishable (same frames, same ids, rev 0).
 *
 * QMT labels 1m bars by their end, like minutebar, but keeps the opening auction (09:25) in a bar of its own
 * labelled 09:30; minutebar counts the auction in 09:31, so that bar is folded into 09:31. Volumes are lots in
 * QMT's bars and shares in minutebar's. A minute QMT has no bar for is flat at the previous close, as live.
 */
import type { BarClosed } from "../../domain/bar.ts"
import { roundAmount, roundShares } from "../../domain/bar-rounding.ts"
import { formatFrame, localTimeOfDayMs, MINUTE_MS } from "../../domain/market-time.ts"
import { SLOT_LABELS, SLOTS_PER_DAY, slotOfFrame } from "../../domain/session-grid.ts"
import type { QmtMinuteBar } from "./bridge-line.ts"

export interface HistoryDay {
  readonly bars: ReadonlyArray<BarClosed>
  /** Bars outside the 240 session minutes (after-hours trading, odd labels), with why. */
  readonly dropped: ReadonlyArray<{ readonly bar: QmtMinuteBar; readonly reason: string }>
}

interface Slot {
  open: number
  high: number
  low: number
  close: number
  shares: number
  amount: number
}

const OPENING_MINUTE = 9 * 60 + 30

const slotOf = (b: QmtMinuteBar): Slot => ({
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  shares: b.volume * 100,
  amount: b.amount,
})

// The auction's trades open the day: its price is 09:31's open, its volume and range count in 09:31.
const foldAuction = (auction: Slot | undefined, first: Slot | undefined): Slot | undefined => {
  if (auction === undefined || auction.shares === 0) return first
  if (first === undefined) return auction
  return {
    open: auction.open,
    high: Math.max(auction.high, first.high),
    low: Math.min(auction.low, first.low),
    close: first.close,
    shares: auction.shares + first.shares,
    amount: auction.amount + first.amount,
  }
}

/** The bars of one symbol on one day, in time order (QMT's order). */
export const historyDay = (bars: ReadonlyArray<QmtMinuteBar>): HistoryDay => {
  const slots: Array<Slot | undefined> = new Array(SLOTS_PER_DAY)
  const dropped: Array<{ bar: QmtMinuteBar; reason: string }> = []
  let auction: Slot | undefined
  for (const b of bars) {
    const minute = localTimeOfDayMs(b.time) / MINUTE_MS
    const slot = slotOfFrame(formatFrame(b.time))
    if (minute <= OPENING_MINUTE) auction = foldAuction(auction, slotOf(b))
    else if (slot < 0) dropped.push({ bar: b, reason: `${formatFrame(b.time)} is not a session minute` })
    else slots[slot] = slotOf(b)
  }
  slots[0] = foldAuction(auction, slots[0])
  const first = slots.find((s) => s !== undefined)
  if (first === undefined || bars.length === 0) return { bars: [], dropped }
  const symbol = bars[0]!.symbol
  const day = formatFrame(bars[0]!.time).slice(0, 10)
  return { bars: fillDay(symbol, day, slots, first.open), dropped }
}

// Every one of the 240 minutes gets a bar; a missing one is flat at the close before it (the first bar's open
// before the first bar), like a live minute without trades.
const fillDay = (
  symbol: QmtMinuteBar["symbol"],
  day: string,
  slots: ReadonlyArray<Slot | undefined>,
  openingPrice: number,
): BarClosed[] => {
  const out: BarClosed[] = []
  let previousClose = openingPrice
  for (let k = 0; k < SLOTS_PER_DAY; k++) {
    const s = slots[k]
    const frame = `${day} ${SLOT_LABELS[k]}`
    if (s === undefined) {
      const p = previousClose
      out.push({ symbol, frame, open: p, high: p, low: p, close: p, vol: 0, amount: 0, period: "1m", rev: 0 })
      continue
    }
    out.push({
      symbol,
      frame,
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      vol: roundShares(s.shares),
      amount: roundAmount(s.amount),
      period: "1m",
      rev: 0,
    })
    previousClose = s.close
  }
  return out
}
