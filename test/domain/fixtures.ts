/** Test fixtures: ticks at Shanghai wall-clock times, a feed that keeps day cumulatives, and the real data files. */
import { readFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import type { Bar, BarClosed } from "../../src/domain/bar.ts"
import { compareBars, toBar } from "../../src/domain/bar-order.ts"
import { parseShanghai } from "../../src/domain/market-time.ts"
import type { SymbolCode } from "../../src/domain/symbol.ts"
import type { Tick } from "../../src/domain/tick.ts"

export const DAY = "2023-02-01"

/** Epoch ms of `HH:MM:SS[.mmm]` on `day` in Shanghai. */
export const at = (time: string, day = DAY): number => {
  const [hms, ms = "0"] = time.split(".")
  return parseShanghai(`${day} ${hms}`) + Number(ms.padEnd(3, "0"))
}

export const sym = (s: string): SymbolCode => s as SymbolCode

/** A symbol's tick stream: `trade` adds shares at a price (cumulatives and day range follow), `quiet` repeats. */
export const tickFeed = (symbol = "600519.SH", lastClose = 10) => {
  let [vol, amount, high, low, price] = [0, 0, 0, 0, 0]
  const snapshot = (time: string, day: string): Tick => ({
    symbol: sym(symbol),
    time: at(time, day),
    lastPrice: price,
    open: 0,
    high,
    low,
    lastClose,
    amount,
    volume: Math.floor(vol / 100),
    pvolume: vol,
  })
  return {
    trade: (
      time: string,
      p: number,
      shares = 100,
      range: { high?: number; low?: number } = {},
      day = DAY,
    ) => {
      price = p
      vol += shares
      amount += shares * p
      high = Math.max(high, p, range.high ?? 0)
      low = Math.min(low === 0 ? p : low, p, range.low ?? Number.POSITIVE_INFINITY)
      return snapshot(time, day)
    },
    quiet: (time: string, day = DAY) => snapshot(time, day),
    newDay: (close: number) => {
      ;[vol, amount, high, low, price, lastClose] = [0, 0, 0, 0, 0, close]
    },
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
export const realdata = (file: string): string => path.resolve(repoRoot, "../shared/realdata", file)
export const MOUTAI_TICKS = realdata("ticks/600519.SH-2023-02-01.ndjson")
export const PINGAN_BARS = realdata("bars1m/000001.SZ-20180102-20180115.ndjson")

const readNdjson = (file: string): unknown[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l))

export const readTicks = (file: string): Tick[] => readNdjson(file) as Tick[]
export const readBars = (file: string): Bar[] => readNdjson(file) as Bar[]

/** Keeps the highest rev per (symbol, frame), as downstream does, and returns plain bars in file order. */
export const latest = (bars: ReadonlyArray<BarClosed>): Bar[] => {
  const best = new Map<string, BarClosed>()
  for (const b of bars) {
    const key = `${b.symbol} ${b.frame}`
    if ((best.get(key)?.rev ?? -1) < b.rev) best.set(key, b)
  }
  return [...best.values()].map(toBar).sort(compareBars)
}
