/**
 * What an extra client does with one log message: a bar it asked for, a bar of another symbol (several
 * symbols share the server filter `bars.1m.>` on nats-server 2.9), or a message that can never be a bar.
 */
import { Result, Schema } from "effect"
import { BarClosed } from "../domain/bar.ts"
import { barSubject } from "../domain/market-event.ts"
import type { SymbolCode } from "../domain/symbol.ts"

export type ClientMessage =
  | { readonly _tag: "Bar"; readonly bar: BarClosed }
  | { readonly _tag: "Skip" }
  | { readonly _tag: "Bad"; readonly reason: string }

const SKIP: ClientMessage = { _tag: "Skip" }
const decodeBar = Schema.decodeUnknownResult(Schema.fromJsonString(BarClosed))
const decoder = new TextDecoder()

/** Subjects a client filters itself: undefined when the server's filter is exact (no symbol, or one). */
export const clientSideSubjects = (symbols: ReadonlyArray<SymbolCode>): ReadonlySet<string> | undefined =>
  symbols.length > 1 ? new Set(symbols.map((symbol) => barSubject({ symbol, period: "1m" }))) : undefined

export const clientMessage = (
  m: { readonly subject: string; readonly data: Uint8Array },
  wanted: ReadonlySet<string> | undefined,
): ClientMessage => {
  if (wanted !== undefined && !wanted.has(m.subject)) return SKIP
  const bar = decodeBar(decoder.decode(m.data))
  return Result.isSuccess(bar)
    ? { _tag: "Bar", bar: bar.success }
    : { _tag: "Bad", reason: bar.failure.message.replaceAll("\n", " ") }
}
