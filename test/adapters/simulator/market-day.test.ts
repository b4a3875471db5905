/** Rules a whole simulated market day obeys, checked in one streaming pass over all ~12M ticks. */
import { beforeAll, describe, expect, it } from "vitest"
import { makeMarketSimulator } from "../../../src/adapters/simulator/market-simulator.ts"
import { localTimeOfDayMs } from "../../../src/domain/market-time.ts"
import type { Tick } from "../../../src/domain/tick.ts"

const sim = makeMarketSimulator({ seed: 2024, day: "2024-06-12" })
const u = sim.universe
const n = u.size
const hms = (h: number, m: number, s = 0) => (h * 3600 + m * 60 + s) * 1000

/** Rule name -> the first few ticks that broke it. */
const broken = new Map<string, Array<string>>()
const check = (ok: boolean, rule: string, t: Tick) => {
  if (ok) return
  const list = broken.get(rule) ?? []
  if (list.length < 5) list.push(JSON.stringify(t))
  broken.set(rule, list)
}

const state = {
  ticks: 0,
  last: new Array<Tick | undefined>(n),
  count: new Int32Array(n),
  continuousTicks: new Int32Array(n),
  silentMinutes: new Int32Array(n),
  lastMinute: new Int32Array(n).fill(-1),
  highAboveSeen: 0,
  maxLastSeen: new Float64Array(n),
  openAuction: new Int32Array(n),
  closeAuction: new Int32Array(n),
  postClose: new Int32Array(n),
  oddLotTicks: 0,
  byMinute: new Float64Array(24 * 60),
}

const inspect = (i: number, t: Tick) => {
  const before = state.last[i]
  const tod = localTimeOfDayMs(t.time)
  const traded = t.volume > 0
  check(tod >= hms(9, 15) && tod < hms(15, 5), "inside 09:15-15:05", t)
  const lunch = tod > hms(11, 30, 2) && tod < hms(13, 0)
  const dead = (tod > hms(9, 25, 2) && tod < hms(9, 30)) || (tod > hms(14, 57, 2) && tod < hms(15, 0))
  check(!lunch && !dead, "nothing in the lunch break, 09:25-09:30 or 14:57-15:00", t)
  check(
    tod >= hms(9, 25) || (t.lastPrice === 0 && t.volume === 0 && t.amount === 0),
    "nothing trades before 09:25",
    t,
  )
  if (traded) {
    check(
      t.low <= t.lastPrice && t.lastPrice <= t.high && t.low <= t.open && t.open <= t.high,
      "low <= last, open <= high",
      t,
    )
    check(
      t.low * 100 >= u.limitDownCents[i] - 1e-6 && t.high * 100 <= u.limitUpCents[i] + 1e-6,
      "within the limits",
      t,
    )
    check(
      [t.lastPrice, t.open, t.high, t.low].every((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6),
      "cents",
      t,
    )
    const vwap = t.amount / (t.pvolume ?? 0)
    check(vwap >= t.low - 1e-9 && vwap <= t.high + 1e-9, "amount / shares is a price of the day", t)
  }
  check(t.volume === Math.floor((t.pvolume ?? 0) / 100), "volume is whole lots of pvolume", t)
  check(t.lastClose === u.preCloseCents[i] / 100, "lastClose is the previous close", t)
  if (before !== undefined) inspectAfter(i, t, before, tod)
  state.last[i] = t
}

const inspectAfter = (i: number, t: Tick, before: Tick, tod: number) => {
  check(t.time > before.time, "a symbol's times increase", t)
  check(
    t.volume >= before.volume && t.amount >= before.amount,
    "cumulative volume and amount never decrease",
    t,
  )
  check((t.pvolume ?? 0) >= (before.pvolume ?? 0), "cumulative shares never decrease", t)
  check(
    t.high >= before.high && (before.low === 0 || t.low <= before.low),
    "the day's high/low only widen",
    t,
  )
  const shares = (t.pvolume ?? 0) - (before.pvolume ?? 0)
  if (shares % 100 !== 0) state.oddLotTicks++
  state.byMinute[Math.floor(tod / 60_000)] += shares
  if (tod >= hms(9, 25) && tod < hms(9, 25, 3) && t.volume > 0) state.openAuction[i]++
  if (tod >= hms(15, 0) && tod < hms(15, 0, 3)) state.closeAuction[i]++
  if (tod >= hms(15, 0, 30)) {
    state.postClose[i]++
    check(
      JSON.stringify({ ...t, time: 0 }) === JSON.stringify({ ...before, time: 0 }),
      "the post-close repeat changes nothing",
      t,
    )
  }
  if (tod >= hms(9, 30) && tod < hms(15, 0)) {
    state.continuousTicks[i]++
    const minute = Math.floor(tod / 60_000)
    if (state.lastMinute[i] >= 0 && minute - state.lastMinute[i] > 1 && tod < hms(11, 30)) {
      state.silentMinutes[i] += minute - state.lastMinute[i] - 1
    }
    state.lastMinute[i] = minute
  }
  if (t.high > state.maxLastSeen[i] && t.high > t.lastPrice) state.highAboveSeen++
  state.maxLastSeen[i] = Math.max(state.maxLastSeen[i], t.lastPrice)
}

beforeAll(() => {
  const index = new Map(u.symbols.map((s, i) => [s as string, i]))
  for (const batch of sim.batches(sim.marketTime("00:00"), sim.marketTime("23:59"))) {
    for (const t of batch.ticks) {
      const i = index.get(t.symbol) ?? -1
      state.ticks++
      state.count[i]++
      inspect(i, t)
    }
  }
})

describe("a simulated market day (5,000 symbols)", () => {
  it("obeys every per-tick rule", () => {
    expect(Object.fromEntries(broken)).toEqual({})
    expect(state.ticks).toBeGreaterThan(8_000_000)
  })

  it("pushes every symbol once at 09:15 with lastPrice 0", () => {
    const first = sim.ticksBetween(sim.marketTime("09:15"), sim.marketTime("09:15:03"))
    expect(first).toHaveLength(n)
    expect(first.every((t) => t.lastPrice === 0 && t.volume === 0)).toBe(true)
  })

  it("matches the opening auction at 09:25:0x: one snapshot with open = last = high = low", () => {
    const open = sim.ticksBetween(sim.marketTime("09:25"), sim.marketTime("09:25:03"))
    expect(open.length).toBeGreaterThan(n * 0.9)
    expect(
      open.every((t) => t.open === t.lastPrice && t.high === t.open && t.low === t.open && t.volume > 0),
    ).toBe(true)
  })

  it("matches the closing auction at 15:00:0x and repeats the final snapshot at 15:00:3x", () => {
    expect(state.closeAuction.filter((c) => c === 1).length).toBeGreaterThan(n * 0.9)
    const repeats = state.postClose.filter((c) => c === 1).length
    expect(repeats).toBe(state.last.filter((t) => t !== undefined && t.volume > 0).length)
  })

  it("has a few suspended symbols: one zero snapshot, no trade all day", () => {
    const suspended = state.count.filter((c) => c === 1).length
    expect(suspended).toBeGreaterThan(10)
    expect(suspended).toBeLessThan(n * 0.03)
  })

  it("has illiquid symbols with many minutes without a trade", () => {
    const illiquid = state.silentMinutes.filter((m) => m > 30).length
    expect(illiquid).toBeGreaterThan(n * 0.05)
    expect(illiquid).toBeLessThan(n * 0.3)
  })

  it("keeps liquid symbols trading most 3-second steps", () => {
    const liquid = state.continuousTicks.filter((c) => c > 2_000).length
    expect(liquid).toBeGreaterThan(n * 0.6)
  })

  it("trades more right after the open and before the close than at 11:00 (U-shaped volume)", () => {
    const sum = (h: number, m: number, len: number) =>
      state.byMinute.slice(h * 60 + m, h * 60 + m + len).reduce((a, b) => a + b, 0)
    expect(sum(9, 30, 10)).toBeGreaterThan(1.5 * sum(11, 0, 10))
    expect(sum(14, 47, 10)).toBeGreaterThan(1.2 * sum(11, 0, 10))
  })

  it("shows day highs above every lastPrice seen, as trades between snapshots do", () => {
    expect(state.highAboveSeen).toBeGreaterThan(1_000)
  })

  it("trades mostly round lots, with a few odd-lot sales", () => {
    expect(state.oddLotTicks).toBeGreaterThan(0)
    expect(state.oddLotTicks / state.ticks).toBeLessThan(0.05)
  })

  it("lets some symbols reach their limit", () => {
    const atLimit = state.last.filter((t, i) => t !== undefined && t.high * 100 === u.limitUpCents[i]).length
    expect(atLimit).toBeGreaterThan(10)
  })
})
