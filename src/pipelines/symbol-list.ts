/** A list of symbols as users give it (`000001.SZ,600519.SH`), checked, deduplicated and sorted. */
import { Result } from "effect"
import { isSymbolCode, type SymbolCode } from "../domain/symbol.ts"

export const parseSymbolList = (items: ReadonlyArray<string>): Result.Result<SymbolCode[], string> => {
  const symbols = new Set<SymbolCode>()
  for (const raw of items.flatMap((s) => s.split(","))) {
    const s = raw.trim()
    if (s === "") continue
    if (!isSymbolCode(s)) return Result.fail(`${JSON.stringify(s)} is not a symbol like 000001.SZ`)
    symbols.add(s)
  }
  return Result.succeed([...symbols].sort())
}
