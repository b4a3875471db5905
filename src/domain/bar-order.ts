/** The order of bar files and batch outputs: by symbol, then by frame (frames sort as text). */
import type { Bar } from "./bar.ts"

export const compareBars = (a: Pick<Bar, "symbol" | "frame">, b: Pick<Bar, "symbol" | "frame">): number =>
  a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.frame < b.frame ? -1 : a.frame > b.frame ? 1 : 0

/** The plain bar of a published one (drops period and rev), keys in the file order. */
export const toBar = (b: Bar): Bar => ({
  symbol: b.symbol,
  frame: b.frame,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  vol: b.vol,
  amount: b.amount,
})
