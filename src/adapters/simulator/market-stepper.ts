/**
 * Moves the whole simulated market one snapshot step at a time and returns the snapshots QMT would push.
 *
 * State, per symbol i (typed arrays, prices in integer cents so ticks and limits are exact):
 * - fair: the latent fair price (float cents), a random walk clamped to [limitDown, limitUp];
 * - last, open, high, low: 0 until the symbol's first trade of the day;
 * - shares, amountCents: cumulative for the day.
 * Invariants: once traded, limitDown <= low <= last <= high <= limitUp and open is set; shares and amountCents
 * never decrease; the state after step k depends only on (seed, day, universe) and steps 0..k, so
 * `reset` and a replay reproduce it exactly.
 */
import type { Tick } from "../../domain/tick.ts"
import { makeRng, type Rng } from "./prng.ts"
import { type SessionSchedule, StepKind } from "./session-schedule.ts"
import { Liquidity, type TradingProfile } from "./trading-profile.ts"
import type { Universe } from "./universe.ts"

export class MarketStepper {
  private readonly u: Universe
  private readonly p: TradingProfile
  private readonly schedule: SessionSchedule
  private readonly daySeed: number
  private readonly rng: Rng = makeRng()
  private readonly lastClose: Float64Array
  private readonly fair: Float64Array
  private readonly last: Int32Array
  private readonly open: Int32Array
  private readonly high: Int32Array
  private readonly low: Int32Array
  private readonly shares: Float64Array
  private readonly amountCents: Float64Array

  constructor(universe: Universe, profile: TradingProfile, schedule: SessionSchedule, daySeed: number) {
    const n = universe.size
    this.u = universe
    this.p = profile
    this.schedule = schedule
    this.daySeed = daySeed
    this.lastClose = Float64Array.from(universe.preCloseCents, (c) => c / 100)
    this.fair = Float64Array.from(universe.preCloseCents)
    this.last = new Int32Array(n)
    this.open = new Int32Array(n)
    this.high = new Int32Array(n)
    this.low = new Int32Array(n)
    this.shares = new Float64Array(n)
    this.amountCents = new Float64Array(n)
  }

  /** Back to the start of the day: nothing traded. */
  reset(): void {
    this.fair.set(this.u.preCloseCents)
    for (const a of [this.last, this.open, this.high, this.low, this.shares, this.amountCents]) a.fill(0)
  }

  /** Applies step k (steps must be applied in order from a reset); returns the pushed snapshots when `emit`. */
  step(k: number, emit: boolean): Array<Tick> {
    const out: Array<Tick> = []
    const time = this.schedule.firstStepMs + k * this.schedule.stepMs
    switch (this.schedule.kinds[k]) {
      case StepKind.PreOpen:
        if (emit) this.repeat(time, out, false)
        break
      case StepKind.OpenAuction:
        this.auction(k, time, emit, out, true)
        break
      case StepKind.Continuous:
        for (let i = 0; i < this.u.size; i++) {
          if (this.trade(i, k) && emit) out.push(this.tickOf(i, time + this.p.phaseMs[i]))
        }
        break
      case StepKind.CloseAuction:
        this.auction(k, time, emit, out, false)
        break
      case StepKind.PostClose:
        if (emit) this.repeat(time, out, true)
        break
    }
    return out
  }

  private tickOf(i: number, time: number): Tick {
    return {
      symbol: this.u.symbols[i],
      time,
      lastPrice: this.last[i] / 100,
      open: this.open[i] / 100,
      high: this.high[i] / 100,
      low: this.low[i] / 100,
      lastClose: this.lastClose[i],
      amount: this.amountCents[i] / 100,
      volume: Math.floor(this.shares[i] / 100),
      pvolume: this.shares[i],
    }
  }

  private clamp(i: number, cents: number): number {
    return Math.min(this.u.limitUpCents[i], Math.max(this.u.limitDownCents[i], cents))
  }

  /** Trades `qty` shares at `price` cents; the first trade of the day sets the open. */
  private fill(i: number, price: number, qty: number): void {
    if (this.open[i] === 0) {
      this.open[i] = price
      this.high[i] = price
      this.low[i] = price
    }
    this.last[i] = price
    if (price > this.high[i]) this.high[i] = price
    if (price < this.low[i]) this.low[i] = price
    this.shares[i] += qty
    this.amountCents[i] += qty * price
  }

  /** Shares of a step: exponential around the symbol's size, mostly round lots, now and then an odd-lot sale. */
  private quantity(i: number, scale: number): number {
    const lots = 1 + Math.floor(this.p.baseLots[i] * scale * -Math.log(1 - this.rng.unit()))
    const odd = this.rng.unit()
    return lots * 100 + (odd < 0.02 ? 1 + Math.floor((odd / 0.02) * 99) : 0)
  }

  /** Trades between two snapshots sometimes went beyond both: the day's high or low moves past any lastPrice. */
  private excursion(i: number, price: number, before: number): void {
    const r = this.rng.unit()
    if (r >= 0.12) return
    const extra = 1 + Math.floor(this.rng.unit() * Math.max(1, this.fair[i] * this.p.sigma[i] * 3))
    if (r < 0.06) this.high[i] = Math.max(this.high[i], this.clamp(i, Math.max(price, before) + extra))
    else this.low[i] = Math.min(this.low[i], this.clamp(i, Math.min(price, before || price) - extra))
  }

  /** One symbol in one continuous step: maybe no trade; else the fair price walks and prints at bid or ask. */
  private trade(i: number, k: number): boolean {
    const rng = this.rng
    rng.reseed(this.daySeed, this.u.codes[i], k)
    const intensity = this.schedule.intensity[k]
    if (rng.unit() >= this.p.tradeProb[i] * intensity) return false
    const f = this.clamp(i, this.fair[i] * (1 + this.p.drift[i] + this.p.sigma[i] * rng.normal()))
    this.fair[i] = f
    const price = rng.unit() < 0.5 ? Math.floor(f) : Math.ceil(f)
    const before = this.last[i]
    this.fill(i, price, this.quantity(i, intensity))
    this.excursion(i, price, before)
    return true
  }

  /** A call auction's single match: sparse names sometimes find no counterparty. */
  private auction(k: number, time: number, emit: boolean, out: Array<Tick>, opening: boolean): void {
    const { liquidity, openGap, phaseMs } = this.p
    for (let i = 0; i < this.u.size; i++) {
      if (liquidity[i] === Liquidity.Suspended) continue
      this.rng.reseed(this.daySeed, this.u.codes[i], k)
      if (liquidity[i] === Liquidity.Sparse && this.rng.unit() < (opening ? 0.3 : 0.4)) continue
      const target = opening
        ? this.u.preCloseCents[i] * (1 + openGap[i])
        : this.fair[i] * (1 + 0.002 * this.rng.normal())
      const price = this.clamp(i, Math.round(target))
      if (opening) this.fair[i] = price
      this.fill(i, price, this.quantity(i, opening ? 60 : 18))
      if (emit) out.push(this.tickOf(i, time + phaseMs[i]))
    }
  }

  /** Every symbol as it stands: all of them at 09:15, the traded ones again after the close. */
  private repeat(time: number, out: Array<Tick>, tradedOnly: boolean): void {
    for (let i = 0; i < this.u.size; i++) {
      if (!tradedOnly || this.shares[i] > 0) out.push(this.tickOf(i, time + this.p.phaseMs[i]))
    }
  }
}
