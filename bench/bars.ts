/**
 * Throughput of the pure bar code on one core: synthetic decoded ticks through the 1m builder (with the clock
 * closing bars as live), and 1m bars through the batch resampler. Progress lines, then one JSON line.
 * BENCH_SYMBOLS (default 5000) and BENCH_RUNS (default 5) scale it; the median run is reported.
 */
import type { Bar, BarClosed } from "../src/domain/bar.ts"
import { makeIncrementalResampler } from "../src/domain/incremental-resampler.ts"
import { parseShanghai } from "../src/domain/market-time.ts"
import { makeMinuteBarBuilder } from "../src/domain/minute-bar-builder.ts"
import { resample } from "../src/domain/resample.ts"
import { SLOT_LABELS } from "../src/domain/session-grid.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"
import type { Tick } from "../src/domain/tick.ts"

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const DAY = "2023-02-01"
const STEP_MS = 3000
const CHUNK_STEPS = 200 // 10 minutes of market time per generated chunk

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const symbolAt = (i: number): SymbolCode => `${String(600000 + i).padStart(6, "0")}.SH` as SymbolCode

// Deterministic pseudo-random numbers so every run sees the same market.
let seed = 42
const rnd = (): number => {
  seed = (seed * 1_664_525 + 1_013_904_223) >>> 0
  return seed / 4_294_967_296
}

/** 3-second snapshot times of a day: 09:25 .. 11:30:03 and 13:00 .. 15:00:03. */
const stepTimes = (): number[] => {
  const times: number[] = []
  const add = (from: string, to: string) => {
    for (let t = parseShanghai(from); t <= parseShanghai(to) + 3000; t += STEP_MS) times.push(t)
  }
  add(`${DAY} 09:25`, `${DAY} 11:30`)
  add(`${DAY} 13:00`, `${DAY} 15:00`)
  return times
}

interface Quote {
  price: number
  high: number
  low: number
  vol: number
  amount: number
}

const quotes: Quote[] = Array.from({ length: SYMBOLS }, () => ({
  price: 10 + rnd() * 90,
  high: 0,
  low: 0,
  vol: 0,
  amount: 0,
}))

const nextTick = (i: number, q: Quote, time: number): Tick => {
  if (rnd() < 0.8) {
    q.price = Math.max(0.01, Math.round(q.price * (1 + (rnd() - 0.5) * 0.002) * 100) / 100)
    const shares = 100 * (1 + Math.floor(rnd() * 50))
    q.vol += shares
    q.amount += shares * q.price
    q.high = Math.max(q.high, q.price)
    q.low = q.low === 0 ? q.price : Math.min(q.low, q.price)
  }
  return {
    symbol: symbolAt(i),
    time: time + (i % 3000),
    lastPrice: q.price,
    open: q.price,
    high: q.high,
    low: q.low,
    lastClose: 50,
    amount: q.amount,
    volume: Math.floor(q.vol / 100),
    pvolume: q.vol,
  }
}

const symbols = Array.from({ length: SYMBOLS }, (_, i) => symbolAt(i))
const benchBuilder = (): void => {
  const times = stepTimes()
  const builders = Array.from({ length: RUNS }, () => makeMinuteBarBuilder())
  const elapsed = new Array<number>(RUNS).fill(0)
  const emitted = new Array<number>(RUNS).fill(0)
  let ticks = 0
  for (let c = 0; c < times.length; c += CHUNK_STEPS) {
    const steps = times.slice(c, c + CHUNK_STEPS)
    const chunk = steps.map((t) => symbols.map((_, i) => nextTick(i, quotes[i]!, t)))
    ticks += steps.length * SYMBOLS
    builders.forEach((b, r) => {
      const start = performance.now()
      steps.forEach((t, k) => {
        for (const tick of chunk[k]!) emitted[r]! += b.onTick(tick).bars.length
        emitted[r]! += b.onClock(t).length
      })
      elapsed[r]! += performance.now() - start
    })
    console.log(`builder: ${ticks.toLocaleString()} ticks x ${RUNS} runs`)
  }
  builders.forEach((b, r) => {
    const start = performance.now()
    emitted[r]! += b.flushDay().length
    elapsed[r]! += performance.now() - start
  })
  const rates = elapsed.map((ms) => ticks / (ms / 1000))
  console.log(`builder runs (ticks/s): ${rates.map((r) => Math.round(r).toLocaleString()).join(", ")}`)
  console.log(
    `bars emitted per run: ${emitted[0]!.toLocaleString()} (expected ${(SYMBOLS * 240).toLocaleString()})`,
  )
  result.synth_ticks_per_s = Math.round(median(rates))
  result.synth_ticks = ticks
}

const syntheticBars = (symbolCount: number, days: ReadonlyArray<string>): Bar[] => {
  const bars: Bar[] = []
  for (let i = 0; i < symbolCount; i++) {
    let price = 10 + rnd() * 90
    for (const day of days) {
      for (const label of SLOT_LABELS) {
        const open = price
        price = Math.max(0.01, Math.round(price * (1 + (rnd() - 0.5) * 0.004) * 100) / 100)
        const vol = rnd() < 0.05 ? 0 : 100 * Math.floor(rnd() * 500)
        const [high, low] = vol === 0 ? [open, open] : [Math.max(open, price) + 0.01, Math.min(open, price)]
        const close = vol === 0 ? open : price
        bars.push({
          symbol: symbolAt(i),
          frame: `${day} ${label}`,
          open,
          high,
          low,
          close,
          vol,
          amount: vol * close,
        })
      }
    }
  }
  return bars
}

const benchResample = (): void => {
  const bars = syntheticBars(Math.max(1, Math.floor(SYMBOLS / 5)), ["2023-02-01", "2023-02-02", "2023-02-03"])
  const rates: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now()
    let out = 0
    for (const period of ["5m", "30m", "1d"] as const) out += resample(bars, period).length
    const rate = (3 * bars.length) / ((performance.now() - start) / 1000)
    rates.push(rate)
    console.log(
      `resample run ${r + 1}: ${bars.length.toLocaleString()} 1m bars x 3 periods -> ${out} bars, ${Math.round(rate).toLocaleString()} bars/s`,
    )
  }
  result.resample_bars_per_s = Math.round(median(rates))
  const closed: BarClosed[] = bars.slice(0, 240 * 3 * 200).map((b) => ({ ...b, period: "1m", rev: 0 }))
  const incRates: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const inc = makeIncrementalResampler(["5m", "30m", "60m", "1d"])
    const start = performance.now()
    for (const b of closed) inc.push(b)
    incRates.push(closed.length / ((performance.now() - start) / 1000))
  }
  result.incremental_resample_bars_per_s = Math.round(median(incRates))
  console.log(
    `incremental resampler (5m+30m+60m+1d per 1m bar): ${incRates.map((r) => Math.round(r)).join(", ")} bars/s`,
  )
}

const result: Record<string, number> = { symbols: SYMBOLS, runs: RUNS }
benchBuilder()
benchResample()
console.log(JSON.stringify(result))
