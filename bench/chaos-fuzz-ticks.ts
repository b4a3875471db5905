/**
 * Bad ticks for the bad-input pass: QMT whole-quote snapshots with wrong types, NaN, negative and falling
 * cumulatives, far-off times and huge strings, mixed into a good simulated day as the stand-in xtquant's
 * tick file. Each is a raw line (Python's json reads NaN and Infinity, which the bridge writes back as such).
 */
import { writeFileSync } from "node:fs"
import { makeMarketSimulator } from "../src/adapters/simulator/market-simulator.ts"
import type { Bar } from "../src/domain/bar.ts"
import { barsFromTicks } from "../src/domain/bars-from-ticks.ts"
import type { Tick } from "../src/domain/tick.ts"

export interface BadTick {
  readonly why: string
  readonly line: string
}

const YEAR_MS = 365 * 86_400_000

/** Garbage built around one good tick `g` of a symbol (a second after it, so it lands between its ticks). */
export const badTicks = (g: Tick): BadTick[] => {
  const at = g.time + 1_000
  const tick = (why: string, fields: Record<string, unknown>): BadTick => ({
    why,
    line: JSON.stringify({ ...g, time: at, ...fields }),
  })
  const raw = (why: string, token: string, field: string): BadTick => ({
    why,
    line: JSON.stringify({ ...g, time: at, [field]: "@@" }).replace('"@@"', token),
  })
  return [
    tick("price as text", { lastPrice: "abc" }),
    tick("volume as a numeric string", { volume: "12" }),
    tick("time as text", { time: "2024-03-05 10:00:00" }),
    tick("symbol as a number", { symbol: 600000 }),
    tick("symbol of no exchange", { symbol: "ABCDEF.XX" }),
    tick("boolean symbol", { symbol: true }),
    tick("unicode symbol", { symbol: "平安银行" }),
    tick("null price", { lastPrice: null }),
    raw("NaN price", "NaN", "lastPrice"),
    raw("Infinity amount", "Infinity", "amount"),
    tick("negative volume", { volume: -5, pvolume: -500 }),
    tick("negative price", { lastPrice: -1 }),
    tick("falling cumulative volume", { volume: g.volume - 1, pvolume: (g.pvolume ?? g.volume * 100) - 100 }),
    tick("falling cumulative amount", { amount: Math.max(0, g.amount - 1_000) }),
    tick("fractional epoch ms", { time: at + 0.5 }),
    tick("negative time", { time: -1 }),
    tick("time past 2100", { time: 4_200_000_000_000 }),
    tick("a year ahead", { time: at + YEAR_MS }),
    tick("missing fields", { lastPrice: undefined, open: undefined, amount: undefined }),
    { why: "empty object", line: "{}" },
    tick("100 kB symbol", { symbol: "9".repeat(100_000) }),
    tick("1.1 MB price (over the bridge's line limit)", { lastPrice: "x".repeat(1_100_000) }),
  ]
}

export interface FuzzFeed {
  readonly file: string
  readonly bad: ReadonlyArray<BadTick>
  /** Bars of the good ticks alone: what must arrive, whatever the bad ones do. */
  readonly truth: ReadonlyArray<Bar>
  /** Every symbol of the good day (each gets reference data, traded or not). */
  readonly symbols: ReadonlyArray<string>
}

// The stand-in sorts its file by time, non-numbers first; sorting the same way keeps the file in feed order.
const feedKey = (line: string): number => {
  const time = (JSON.parse(line.replace(/\bNaN\b|\bInfinity\b/g, "0")) as { time?: unknown }).time
  return typeof time === "number" ? time : 0
}

/** A good day of `symbols` symbols with the bad ticks around one mid-morning tick of the first symbol. */
export const makeFuzzFeed = (
  seed: number,
  symbols: number,
  file: string,
  keep: (bad: BadTick[]) => BadTick[] = (bad) => bad,
): FuzzFeed => {
  const sim = makeMarketSimulator({ seed, day: "2024-03-05", symbols, tickIntervalMs: 30_000 })
  const good = sim.ticksBetween(sim.marketTime("09:15"), sim.marketTime("15:01"))
  const anchor = good.find((t) => t.time >= sim.marketTime("10:00") && t.volume > 0)!
  const bad = keep(badTicks(anchor))
  const lines = [...good.map((t) => JSON.stringify(t)), ...bad.map((b) => b.line)]
    .map((line, i) => ({ line, i, key: feedKey(line) }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
  writeFileSync(file, lines.map((l) => l.line).join("\n") + "\n")
  return { file, bad, truth: barsFromTicks(good), symbols: [...new Set(good.map((t) => t.symbol))] }
}
