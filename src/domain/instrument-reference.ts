/**
 * Reference data of one symbol for one trading day (QMT `get_instrument_detail` and `get_divid_factors`):
 * previous close, price limits, ST flag and the adjustment factor. Daily bars carry it.
 */
import { Schema } from "effect"
import { parseShanghai } from "./market-time.ts"
import { SymbolCode } from "./symbol.ts"

const NonNegative = Schema.Finite.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "must be a finite number >= 0" })),
)

export const TradingDay = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/, { message: "a trading day is YYYY-MM-DD" }),
    Schema.makeFilter((day: string) => {
      const t = parseShanghai(day)
      return t >= parseShanghai("2000-01-01") && t < parseShanghai("2100-01-01")
        ? undefined
        : "a trading day is a real date between 2000 and 2099"
    }),
  ),
)

export const InstrumentReference = Schema.Struct({
  symbol: SymbolCode,
  day: TradingDay,
  name: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))),
  preClose: NonNegative,
  limitUp: NonNegative,
  limitDown: NonNegative,
  st: Schema.Boolean,
  /** Cumulative back-adjustment factor of the day: back-adjusted price = raw price x adjust. */
  adjust: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0, { message: "must be > 0" }))),
})
export type InstrumentReference = typeof InstrumentReference.Type

/** Reference data from its JSON, or what is wrong with it. */
export const decodeReferenceJson = Schema.decodeUnknownResult(Schema.fromJsonString(InstrumentReference))

/** The log's message id: the same facts re-sent (a restarted bridge) are a no-op, changed facts are new. */
export const referenceEventId = (r: InstrumentReference): string =>
  `${r.symbol}:ref:${r.day}:${r.preClose}:${r.limitUp}:${r.limitDown}:${r.st ? 1 : 0}:${r.adjust}`

/** ST / *ST in the instrument name marks special treatment (5% limits on the main board). */
export const isSpecialTreatment = (name: string): boolean => /^\*?S\*?T/i.test(name.trim())
