/**
 * Builds 1m bars for many symbols from decoded ticks, closing bars on the exchange clock plus a grace period.
 *
 * State: one SymbolDay per symbol seen (see symbol-day.ts for its invariants) and the latest clock.
 * Invariants:
 * - a bar is published once at rev 0 when the clock passes its end + grace (or at `flushDay`, or when the
 *   symbol's next day starts), and again with rev + 1 each time a late tick changes it;
 * - a symbol that has not traded today publishes nothing; its first trade releases its bars the clock
 *   already passed, flat at the previous close, so streaming output equals batch output;
 * - time is an input (`onClock`), never read: replaying the same ticks and clocks gives the same bars.
 */
import type { BarClosed } from "./bar.ts"
import { type BuilderState, restoreSymbol, snapshotSymbol } from "./builder-snapshot.ts"
import { DAY_MS, formatDay, localMidnight, MINUTE_MS } from "./market-time.ts"
import { slotOfTickTimeOfDay } from "./minute-of-tick.ts"
import { SLOT_LABELS, SLOTS_PER_DAY, slotsEndedBy } from "./session-grid.ts"
import type { SymbolCode } from "./symbol.ts"
import { APPLIED, SymbolDay, VOLUME_FELL } from "./symbol-day.ts"
import type { Tick } from "./tick.ts"

/** What one tick produced: bars to publish (revisions, released or finished bars), or why it was rejected. */
export interface TickOutcome {
  readonly bars: ReadonlyArray<BarClosed>
  readonly rejected?: string
}

export interface MinuteBarBuilder {
  /** Applies a decoded tick. Rejected ticks (falling cumulatives, an earlier day) leave the state unchanged. */
  readonly onTick: (tick: Tick) => TickOutcome
  /** Publishes every bar whose end + grace <= nowMs, for all symbols that traded that day. */
  readonly onClock: (nowMs: number) => Array<BarClosed>
  /** Publishes all remaining bars of every traded symbol (end of day, batch). */
  readonly flushDay: () => Array<BarClosed>
  /** The persisted state; `makeMinuteBarBuilder({ state })` continues from it. */
  readonly snapshot: () => BuilderState
}

export interface MinuteBarBuilderOptions {
  /** How long after a bar's end it is closed, waiting for ticks in flight (default 3000 ms). */
  readonly graceMs?: number
  /** State to resume from (a `snapshot()`, possibly JSON round-tripped). */
  readonly state?: BuilderState
}

// The common outcome is shared, so a tick that publishes nothing allocates nothing.
const NOTHING: TickOutcome = Object.freeze({ bars: Object.freeze([]) as ReadonlyArray<BarClosed> })

class Builder implements MinuteBarBuilder {
  private readonly graceMs: number
  private readonly days = new Map<SymbolCode, SymbolDay>()
  private readonly all: SymbolDay[] = []
  private readonly frameCache = new Map<number, ReadonlyArray<string>>()
  private clockMs = Number.NEGATIVE_INFINITY
  // Slot ends are whole minutes, so what the clock has passed changes only when this minute does.
  private clockMinute = Number.NaN

  constructor(options: MinuteBarBuilderOptions) {
    this.graceMs = options.graceMs ?? 3000
    const state = options.state
    if (state === undefined) return
    this.clockMs = state.clockMs ?? Number.NEGATIVE_INFINITY
    for (const snap of state.symbols) this.add(restoreSymbol(snap, this.framesOf))
  }

  onTick = (t: Tick): TickOutcome => {
    const d = this.days.get(t.symbol) ?? this.add(new SymbolDay(t.symbol))
    const finished = t.time - d.midnight >= DAY_MS ? this.startDay(d, localMidnight(t.time)) : undefined
    if (t.time < d.midnight) {
      return { bars: [], rejected: `tick of ${formatDay(t.time)} after ticks of ${formatDay(d.midnight)}` }
    }
    const slot = slotOfTickTimeOfDay(t.time - d.midnight)
    if (slot < 0) return finished === undefined ? NOTHING : { bars: finished }
    const wasTraded = d.traded
    const volBefore = d.cumVol
    const amountBefore = d.cumAmount
    const applied = d.apply(t, slot)
    if (applied < 0) return { bars: finished ?? [], rejected: rejection(applied, t, volBefore, amountBefore) }
    const bars = applied === APPLIED ? this.afterApply(d, wasTraded) : undefined
    if (bars === undefined) return finished === undefined ? NOTHING : { bars: finished }
    return { bars: finished === undefined ? bars : [...finished, ...bars] }
  }

  // A first trade releases the bars the clock already passed; a tick in a published bar revises it.
  private afterApply(d: SymbolDay, wasTraded: boolean): BarClosed[] | undefined {
    if (!wasTraded && d.traded) {
      const passed = this.passedSlots(d.midnight)
      if (passed === 0) return undefined
      const out: BarClosed[] = []
      d.emitRange(0, passed, out)
      return out
    }
    if (d.cur >= d.emitted) return undefined
    const out: BarClosed[] = []
    d.revise(d.cur, out)
    return out
  }

  onClock = (nowMs: number): Array<BarClosed> => {
    if (nowMs > this.clockMs) this.clockMs = nowMs
    const out: BarClosed[] = []
    const minute = Math.floor((this.clockMs - this.graceMs) / MINUTE_MS)
    if (minute === this.clockMinute) return out
    this.clockMinute = minute
    for (const d of this.all) {
      if (!d.traded) continue
      const passed = this.passedSlots(d.midnight)
      if (passed > d.emitted) d.emitRange(d.emitted, passed, out)
    }
    return out
  }

  flushDay = (): Array<BarClosed> => {
    const out: BarClosed[] = []
    for (const d of this.all) if (d.traded) d.emitRange(d.emitted, SLOTS_PER_DAY, out)
    return out
  }

  snapshot = (): BuilderState => ({
    version: 1,
    clockMs: Number.isFinite(this.clockMs) ? this.clockMs : null,
    symbols: this.all.map(snapshotSymbol),
  })

  private add(d: SymbolDay): SymbolDay {
    this.days.set(d.symbol, d)
    this.all.push(d)
    return d
  }

  // A tick of a later day finishes the symbol's previous day (all its bars are final) and resets it.
  private startDay(d: SymbolDay, midnight: number): BarClosed[] | undefined {
    const out: BarClosed[] = []
    if (d.traded) d.emitRange(d.emitted, SLOTS_PER_DAY, out)
    d.reset(midnight, this.framesOf(midnight))
    return out.length > 0 ? out : undefined
  }

  // How many of the day's slots the clock has closed: end + grace <= clock.
  private passedSlots(midnight: number): number {
    return slotsEndedBy(this.clockMs - this.graceMs - midnight)
  }

  private framesOf = (midnight: number): ReadonlyArray<string> => {
    let frames = this.frameCache.get(midnight)
    if (frames === undefined) {
      const day = formatDay(midnight)
      frames = SLOT_LABELS.map((label) => `${day} ${label}`)
      this.frameCache.set(midnight, frames)
    }
    return frames
  }
}

const rejection = (code: number, t: Tick, volBefore: number, amountBefore: number): string =>
  code === VOLUME_FELL
    ? `cumulative volume fell from ${volBefore} to ${t.pvolume ?? t.volume * 100} shares`
    : `cumulative amount fell from ${amountBefore} to ${t.amount} yuan`

/** A bar builder, fresh or resumed from `options.state`. */
export const makeMinuteBarBuilder = (options: MinuteBarBuilderOptions = {}): MinuteBarBuilder =>
  new Builder(options)
