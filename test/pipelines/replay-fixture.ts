/**
 * Recorded days for the replay tests: real 1m bars of 000001.SZ (2018-01-02, 01-03), scaled into four
 * symbols on three exchanges, published as a live day is: frame by frame, each revision a few minutes after
 * the bar it revises, some bars published twice under new ids; the second day after the first.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Bar, BarClosed } from "../../src/domain/bar.ts"
import { toBar } from "../../src/domain/bar-order.ts"
import { barMessageId, barSubject } from "../../src/domain/market-event.ts"
import { resample } from "../../src/domain/resample.ts"
import type { SymbolCode } from "../../src/domain/symbol.ts"

const REAL = join(import.meta.dirname, "../../../shared/realdata/bars1m/000001.SZ-20180102-20180115.ndjson")
export const DAYS = ["2018-01-02", "2018-01-03"] as const
export const SYMBOLS = ["000001.SZ", "300750.SZ", "430047.BJ", "600000.SH"] as const
const SCALE: Record<string, number> = { "000001.SZ": 1, "300750.SZ": 2, "430047.BJ": 0.5, "600000.SH": 0.8 }

const cents = (x: number) => Math.round(x * 100) / 100

const realBars = (): Bar[] =>
  readFileSync(REAL, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Bar)
    .filter((b) => (DAYS as ReadonlyArray<string>).includes(b.frame.slice(0, 10)))

const inSymbol = (b: Bar, symbol: string): BarClosed => {
  const k = SCALE[symbol]!
  return {
    ...b,
    symbol: symbol as SymbolCode,
    open: cents(b.open * k),
    high: cents(b.high * k),
    low: cents(b.low * k),
    close: cents(b.close * k),
    period: "1m",
    rev: 0,
  }
}

const revised = (b: BarClosed, rev: number): BarClosed => ({
  ...b,
  rev,
  vol: b.vol + 100 * rev,
  amount: cents(b.amount + 100 * rev * b.close),
  high: cents(b.high + 0.01 * rev),
})

export interface Publication {
  readonly subject: string
  readonly id: string
  readonly data: Uint8Array
}

const encode = (b: BarClosed, suffix = ""): Publication => ({
  subject: barSubject(b),
  id: barMessageId(b) + suffix,
  data: new TextEncoder().encode(JSON.stringify(b)),
})

/** Market order: frame, then symbol. */
export const marketOrder = <B extends Pick<Bar, "symbol" | "frame">>(bars: ReadonlyArray<B>): B[] =>
  [...bars].sort((a, b) =>
    a.frame < b.frame ? -1 : a.frame > b.frame ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
  )

export const replayFixture = () => {
  const real = realBars()
  const publications: Publication[] = []
  const final = new Map<string, BarClosed>()
  let n = 0
  const late: Array<{ at: number; p: Publication }> = []
  for (const [minute, b] of real.entries()) {
    for (const symbol of SYMBOLS) {
      const bar = inSymbol(b, symbol)
      publications.push(encode(bar))
      final.set(`${symbol}|${bar.frame}`, bar)
      n++
      if (n % 23 === 3) publications.push(encode(bar, ":again"))
      // Revisions come a minute or two later; a few bars are revised twice.
      for (const rev of n % 37 === 5 ? [1, 2] : n % 11 === 4 ? [1] : []) {
        const r = revised(bar, rev)
        late.push({ at: minute + rev, p: encode(r) })
        final.set(`${symbol}|${bar.frame}`, r)
      }
    }
    // A day's revisions are all out before the next day's first bar, as live (they come within seconds).
    const dayEnds = real[minute + 1]?.frame.slice(0, 10) !== b.frame.slice(0, 10)
    for (const l of late.filter((x) => x.at === minute || (dayEnds && x.at > minute))) publications.push(l.p)
    if (dayEnds) late.length = 0
  }
  const dayBars = (day: string, symbols: ReadonlyArray<string> = SYMBOLS): BarClosed[] =>
    marketOrder([...final.values()].filter((b) => b.frame.startsWith(day) && symbols.includes(b.symbol)))
  /** The domain's resample of the day's final 1m bars, in market order, as plain bars. */
  const resampled = (day: string, period: "5m" | "30m"): Bar[] =>
    marketOrder(resample(dayBars(day).map(toBar), period))
  return { publications, dayBars, resampled }
}
