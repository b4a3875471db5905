/** A-share symbols (`000001.SZ`, `600519.SH`, `430047.BJ`) and their JetStream subject tokens (`SZ.000001`). */
import { Schema } from "effect"

export const Exchange = Schema.Literals(["SH", "SZ", "BJ"])
export type Exchange = typeof Exchange.Type

const SYMBOL_PATTERN = /^\d{6}\.(SH|SZ|BJ)$/

export const SymbolCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(SYMBOL_PATTERN, {
      message: "a symbol is six digits, a dot and SH, SZ or BJ, like 000001.SZ",
    }),
  ),
  Schema.brand("SymbolCode"),
)
export type SymbolCode = typeof SymbolCode.Type

export const isSymbolCode = (s: string): s is SymbolCode => SYMBOL_PATTERN.test(s)

export const exchangeOf = (symbol: SymbolCode): Exchange => symbol.slice(7) as Exchange

export const codeOf = (symbol: SymbolCode): string => symbol.slice(0, 6)

/** `000001.SZ` -> `SZ.000001`: exchange first so subject wildcards select a whole exchange. */
export const subjectToken = (symbol: SymbolCode): string => `${symbol.slice(7)}.${symbol.slice(0, 6)}`

/** `SZ.000001` -> `000001.SZ`, or undefined when the token is not a symbol's. */
export const symbolFromSubjectToken = (token: string): SymbolCode | undefined => {
  const s = `${token.slice(3)}.${token.slice(0, 2)}`
  return token.length === 9 && token[2] === "." && isSymbolCode(s) ? s : undefined
}
