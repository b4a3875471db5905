/**
 * How each simulated symbol trades on the day: liquid, sparse or suspended, how often it trades, how much its
 * price moves per trade, its drift and opening gap, its usual trade size, and the second its snapshots carry.
 */
import { hash3, makeRng } from "./prng.ts"
import type { SessionSchedule } from "./session-schedule.ts"
import type { Universe } from "./universe.ts"

export const Liquidity = { Active: 0, Sparse: 1, Suspended: 2 } as const
export type Liquidity = (typeof Liquidity)[keyof typeof Liquidity]

/** Per-symbol parameters as parallel arrays indexed like the universe. */
export interface TradingProfile {
  readonly liquidity: Uint8Array
  /** Chance of at least one trade in a step of intensity 1. */
  readonly tradeProb: Float64Array
  /** Relative standard deviation of the fair price per trading step. */
  readonly sigma: Float64Array
  /** Relative drift of the fair price per trading step. */
  readonly drift: Float64Array
  /** Relative gap of the opening auction price from the previous close. */
  readonly openGap: Float64Array
  /** Mean lots per trading step at intensity 1. */
  readonly baseLots: Float64Array
  /** Offset of the symbol's snapshot times within a step: whole seconds, as QMT stamps them. */
  readonly phaseMs: Int32Array
}

// Salts keep these draws apart from the universe's and the steps' that share the seed.
const SALT_TRAITS = -3
const SALT_DAY = -4

/** The seed of one trading day: the day's moves differ while the symbols' traits stay. */
export const daySeed = (seed: number, midnightMs: number): number =>
  hash3(seed, midnightMs / 86_400_000, SALT_DAY)

export const makeTradingProfile = (
  universe: Universe,
  seed: number,
  schedule: SessionSchedule,
): TradingProfile => {
  const n = universe.size
  const p: TradingProfile = {
    liquidity: new Uint8Array(n),
    tradeProb: new Float64Array(n),
    sigma: new Float64Array(n),
    drift: new Float64Array(n),
    openGap: new Float64Array(n),
    baseLots: new Float64Array(n),
    phaseMs: new Int32Array(n),
  }
  const day = daySeed(seed, schedule.midnightMs)
  for (let i = 0; i < n; i++) {
    fillTraits(p, universe, i, seed, schedule)
    fillDay(p, universe, i, day, schedule)
  }
  return p
}

/** Stable traits: how liquid and how volatile a symbol is, and when within a step it is stamped. */
const fillTraits = (p: TradingProfile, u: Universe, i: number, seed: number, s: SessionSchedule): void => {
  const rng = makeRng()
  rng.reseed(seed, u.codes[i], SALT_TRAITS)
  const bj = u.limitPct[i] === 30
  const r = rng.unit()
  const liquidity =
    r < 0.01 ? Liquidity.Suspended : r < (bj ? 0.4 : 0.12) ? Liquidity.Sparse : Liquidity.Active
  p.liquidity[i] = liquidity
  p.tradeProb[i] =
    liquidity === Liquidity.Active
      ? 0.55 + 0.45 * rng.unit()
      : liquidity === Liquidity.Sparse
        ? 0.005 + 0.05 * rng.unit()
        : 0
  const yuan = u.preCloseCents[i] / 100
  const lots = Math.exp(Math.log(30) - 0.6 * Math.log(yuan / 10) + 0.7 * rng.normal())
  p.baseLots[i] = Math.max(1, lots * (bj ? 0.3 : 1) * (liquidity === Liquidity.Sparse ? 0.5 : 1))
  const volatility = (0.015 + 0.025 * rng.unit()) * (u.limitPct[i] >= 20 ? 1.3 : 1)
  // The fair price moves only when the symbol trades: spread the day's volatility over its expected trades.
  p.sigma[i] = volatility / Math.sqrt(Math.max(4, expectedTrades(p, i, s)))
  p.phaseMs[i] = Math.floor(rng.unit() * Math.floor(s.stepMs / 1000)) * 1000
}

const expectedTrades = (p: TradingProfile, i: number, s: SessionSchedule): number =>
  Math.min(1, p.tradeProb[i]) * s.continuousSteps

/** The day's mood of a symbol: a drift, and now and then a strong trend that runs into the price limit. */
const fillDay = (p: TradingProfile, u: Universe, i: number, day: number, s: SessionSchedule): void => {
  const rng = makeRng()
  rng.reseed(day, u.codes[i], SALT_TRAITS)
  const limit = u.limitPct[i] / 100
  const trend = rng.unit() < 0.02 ? (rng.unit() < 0.7 ? 1.4 : -1.4) * limit : 0
  const dailyMove = trend !== 0 ? trend : 0.012 * rng.normal()
  p.openGap[i] = trend * 0.3 + 0.008 * rng.normal()
  p.drift[i] = (dailyMove - p.openGap[i]) / Math.max(4, expectedTrades(p, i, s))
}
