/** Bars: OHLCV of one symbol over one period, labelled by the period's END in Shanghai time. */
import { Schema } from "effect"
import { Period } from "./period.ts"
import { SymbolCode } from "./symbol.ts"

const NonNegative = Schema.Finite.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "must be a finite number >= 0" })),
)

/** `YYYY-MM-DD HH:MM:SS` for intraday bars, `YYYY-MM-DD` for daily bars. */
export const Frame = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, {
      message: "a frame is YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for a day)",
    }),
  ),
)

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
 * The fact on the log: a bar of `period` closed (rev 0) or was revised by a late tick (rev > 0).
 * Consumers keep the highest rev per (symbol, period, frame).
 */
export const BarClosed = Schema.Struct({
  ...barFields,
  period: Period,
  rev: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
}).pipe(Schema.check(pricesAreOrdered))
export type BarClosed = typeof BarClosed.Type

/** The log's message id: re-publishing the same bar revision is a no-op in JetStream's duplicate window. */
export const barEventId = (b: Pick<BarClosed, "symbol" | "period" | "frame" | "rev">): string =>
  `${b.symbol}:${b.period}:${b.frame}:${b.rev}`
