/** Bars: OHLCV of one symbol over one period, labelled by the period's END in Shanghai time. */
import { Schema } from "effect"
import { parseShanghai } from "./market-time.ts"
import { Period } from "./period.ts"
import { bucketGrid, slotOfFrame } from "./session-grid.ts"
import { SymbolCode } from "./symbol.ts"

const NonNegative = Schema.Finite.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "must be a finite number >= 0" })),
)

const FIRST_FRAME = parseShanghai("2000-01-01")
const LAST_FRAME = parseShanghai("2100-01-01")

/** `YYYY-MM-DD HH:MM:SS` for intraday bars, `YYYY-MM-DD` for daily bars: a real Shanghai time, 2000..2099. */
export const Frame = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, {
      message: "a frame is YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for a day)",
    }),
    // The pattern lets 9999-99-99 99:99:99 through; a table would refuse it, or clamp a far-future one.
    Schema.makeFilter((frame: string) => {
      const t = parseShanghai(frame)
      return t >= FIRST_FRAME && t < LAST_FRAME
        ? undefined
        : "a frame is a real date (and time) between 2000 and 2099"
    }),
  ),
)

/** The frame is a label of its period: a session minute for 1m, a bucket end for 5m/30m/60m, a day for 1d. */
const frameFitsPeriod = Schema.makeFilter((b: { frame: string; period: Period }) => {
  if (b.period === "1d") return b.frame.length === 10 ? undefined : "a 1d bar's frame is YYYY-MM-DD"
  const slot = slotOfFrame(b.frame)
  if (slot < 0) return `a ${b.period} bar ends on a session minute (09:31..11:30, 13:01..15:00)`
  if (b.period === "1m") return undefined
  const grid = bucketGrid(b.period)
  return grid.labels[grid.bucketOfSlot[slot]!] === b.frame.slice(11)
    ? undefined
    : `a ${b.period} bar ends on its period's grid (e.g. 10:00, 10:30 for 30m)`
})

const barFields = {
  symbol: SymbolCode,
  frame: Frame,
  open: NonNegative,
  high: NonNegative,
  low: NonNegative,
  close: NonNegative,
  vol: NonNegative,
  amount: NonNegative,
}

const pricesAreOrdered = Schema.makeFilter((b: { open: number; high: number; low: number; close: number }) =>
  b.low <= b.high && b.low <= b.open && b.low <= b.close && b.open <= b.high && b.close <= b.high
    ? undefined
    : "prices must satisfy low <= open, close <= high",
)

/** The bar shape of the CLI and of vendor files: `{symbol, frame, open, high, low, close, vol, amount}`. */
export const Bar = Schema.Struct(barFields).pipe(Schema.check(pricesAreOrdered))
export type Bar = typeof Bar.Type

/**
 * The highest revision a bar may carry. Revisions are a handful in practice; the bound is what storage holds:
 * a bucket's rev sums (1 + rev) over up to 240 minutes into a UInt32 column, which ClickHouse would wrap
 * silently (a rev of 2^32 is stored as 0, and the highest rev decides which row stays).
 */
export const MAX_REV = 1_000_000

/**
 * The fact on the log: a bar of `period` closed (rev 0) or was revised by a late tick (rev > 0).
 * Consumers keep the highest rev per (symbol, period, frame).
 */
export const BarClosed = Schema.Struct({
  ...barFields,
  period: Period,
  rev: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(MAX_REV))),
}).pipe(Schema.check(pricesAreOrdered, frameFitsPeriod))
export type BarClosed = typeof BarClosed.Type

/** The log's message id: re-publishing the same bar revision is a no-op in JetStream's duplicate window. */
export const barEventId = (b: Pick<BarClosed, "symbol" | "period" | "frame" | "rev">): string =>
  `${b.symbol}:${b.period}:${b.frame}:${b.rev}`
