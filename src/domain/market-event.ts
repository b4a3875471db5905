/**
 * The events the log carries, and where each goes: bars to `bars.<period>.<EX>.<code>`, reference data to
 * `ref.<EX>.<code>`. Each has a message id that makes re-publishing the same fact a no-op.
 */
import { type BarClosed, barEventId } from "./bar.ts"
import { type InstrumentReference, referenceEventId } from "./instrument-reference.ts"
import { type Exchange, subjectToken } from "./symbol.ts"

/** The `type` field of a Redis Stream entry: which schema its `data` decodes with. */
export type MarketEventType = "bar" | "ref"

/** A fact of the log, decoded: a bar or a symbol's reference data. */
export type LogFact =
  | { readonly _tag: "Bar"; readonly bar: BarClosed }
  | { readonly _tag: "Ref"; readonly ref: InstrumentReference }

export const barSubject = (bar: Pick<BarClosed, "symbol" | "period">): string =>
  `bars.${bar.period}.${subjectToken(bar.symbol)}`

export const barMessageId = barEventId

export const referenceSubject = (r: Pick<InstrumentReference, "symbol">): string =>
  `ref.${subjectToken(r.symbol)}`

export const referenceMessageId = referenceEventId

/** Every subject of one exchange that a projection takes: its 1m bars, and its reference data. */
export const exchangeSubjects = (ex: Exchange) => ({ bars: `bars.1m.${ex}.>`, refs: `ref.${ex}.>` }) as const
