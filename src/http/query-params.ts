/** Query parameters several routes share, as Schemas whose failures name what is wrong. */
import { Schema } from "effect"
import { isSymbolCode } from "../domain/symbol.ts"

export const MAX_SYMBOLS = 200

const symbolListProblem = (text: string): string | undefined => {
  const list = splitSymbols(text)
  if (list.length === 0) return "expected a comma list of symbols like 000001.SZ,600519.SH"
  if (list.length > MAX_SYMBOLS) return `at most ${MAX_SYMBOLS} symbols`
  const bad = list.find((s) => !isSymbolCode(s))
  return bad === undefined
    ? undefined
    : `${JSON.stringify(bad.slice(0, 20))} is not a symbol (six digits, a dot and SH, SZ or BJ)`
}

/** `000001.SZ,600519.SH`: 1..200 symbols; split it with `splitSymbols`. */
export const SymbolList = Schema.String.pipe(Schema.check(Schema.makeFilter(symbolListProblem)))

export const splitSymbols = (text: string): string[] => [
  ...new Set(
    text
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s !== ""),
  ),
]

/** A whole number from `min` to `max`. */
export const IntParam = (min: number, max: number) =>
  Schema.FiniteFromString.pipe(
    Schema.check(
      Schema.isInt({ message: "expected a whole number" }),
      Schema.isBetween({ minimum: min, maximum: max }, { message: `expected ${min}..${max}` }),
    ),
  )
