/**
 * Daily price limits by board, for days without exchange reference data: main board 10%, ChiNext (300/301)
 * and STAR (688/689) 20%, Beijing 30%, ST on the main board 5%; rounded half-up to the cent.
 */
import type { SymbolCode } from "./symbol.ts"

export const limitPercent = (symbol: SymbolCode, st: boolean): number => {
  const code = symbol.slice(0, 3)
  if (symbol.endsWith(".BJ")) return 30
  if (code === "300" || code === "301" || code === "688" || code === "689") return 20
  return st ? 5 : 10
}

// In integer cents, so 10.05 x 1.1 = 11.055 rounds to 11.06 as the exchange does, not to float noise.
const roundHalfUpCents = (cents: number, factorPercent: number): number =>
  Math.floor((cents * factorPercent + 50) / 100) / 100

export const priceLimits = (
  symbol: SymbolCode,
  preClose: number,
  st: boolean,
): { readonly limitUp: number; readonly limitDown: number } => {
  const cents = Math.round(preClose * 100)
  const pct = limitPercent(symbol, st)
  return { limitUp: roundHalfUpCents(cents, 100 + pct), limitDown: roundHalfUpCents(cents, 100 - pct) }
}
