/**
 * The events the log carries, and where each goes: bars to `bars.<period>.<EX>.<code>`, reference data to
 * `ref.<EX>.<code>`. Each has a message id that makes re-publishing the same fact a no-op.
 */
import { type BarClosed, barEventId } from "./bar.ts"
import { subjectToken } from "./symbol.ts"

export type MarketEventType = "bar"

export const barSubject = (bar: Pick<BarClosed, "symbol" | "period">): string =>
  `bars.${bar.period}.${subjectToken(bar.symbol)}`

export const barMessageId = barEventId
