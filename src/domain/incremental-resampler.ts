/**
 * Resamples published 1m bars one at a time into 5m/30m/60m/1d bars in progress, accepting bars out of order,
 * revised (higher rev replaces) and duplicated (ignored), and converging on what `resample` gives in batch
 * (both apply bucket-aggregate.ts).
 *
 * State: per symbol, the latest `retainDays` trading days, each with its 240 slots of 1m values, the rev
 * of the bar that filled each slot (-1 = none yet), and per period the bucket computed last (one, to bound memory).
 * Invariants:
 * - a slot only ever takes a bar with a higher rev than the one it holds;
 * - a bucket's rev is the sum over its filled slots of (1 + slot rev): a function of the set of 1m bars, so
 *   it is the same whatever the arrival order, and rises with every accepted bar (usable as an upsert version);
 * - a bucket is `final` when all its slots are filled; a later revision yields it again, final, with a higher rev;
 * - a cached bucket is dropped whenever one of its slots takes a bar, so a cached value is always current.
 */
import type { BarClosed } from "./bar.ts"
import { BucketAggregate } from "./bucket-aggregate.ts"
import {
  type BucketGrid,
  bucketFrame,
  bucketGrid,
  dayOfFrame,
  type ResamplePeriod,
  SLOTS_PER_DAY,
  slotOfFrame,
} from "./session-grid.ts"

/** A resampled bar in progress (`final` false) or complete (`final` true: every minute of the bucket is in). */
export interface ResampledBar {
  readonly bar: BarClosed
  readonly final: boolean
}

export interface IncrementalResampler {
  /**
   * Takes one 1m bar; yields the updated bucket of each period, or nothing when the bar is a duplicate (same
   * frame, rev not higher), not 1m, off the 240-minute grid, or of a day older than the retained ones.
   */
  readonly push: (bar: BarClosed) => ReadonlyArray<ResampledBar>
  /**
   * Takes one 1m bar like `push` without computing its buckets; true when it changed a slot. A projection
   * records a whole batch, then asks `bucketsOf` once per touched bucket instead of once per bar.
   */
  readonly record: (bar: BarClosed) => boolean
  /**
   * The current bucket of each period that holds this 1m bar's minute, without changing anything: what a
   * projection upserts after pushing a batch (a redelivered bar pushes nothing, yet its buckets still count).
   */
  readonly bucketsOf: (bar: Pick<BarClosed, "symbol" | "frame">) => ReadonlyArray<ResampledBar>
}

class SlotDay {
  readonly day: string
  readonly grids: ReadonlyArray<BucketGrid>
  readonly open = new Float64Array(SLOTS_PER_DAY)
  readonly high = new Float64Array(SLOTS_PER_DAY)
  readonly low = new Float64Array(SLOTS_PER_DAY)
  readonly close = new Float64Array(SLOTS_PER_DAY)
  readonly vol = new Float64Array(SLOTS_PER_DAY)
  readonly amount = new Float64Array(SLOTS_PER_DAY)
  readonly rev = new Int32Array(SLOTS_PER_DAY).fill(-1)
  // Per grid, the bucket computed last and which one it is (-1: none): every bar of a batch asks for its day's
  // 1d bucket and mostly for the same 30m one. One per grid keeps a day of 5,000 symbols small.
  private readonly cachedBucket: Int16Array
  private readonly cached: Array<ResampledBar | undefined>

  constructor(day: string, grids: ReadonlyArray<BucketGrid>) {
    this.day = day
    this.grids = grids
    this.cachedBucket = new Int16Array(grids.length).fill(-1)
    this.cached = grids.map(() => undefined)
  }

  set(k: number, b: BarClosed): void {
    this.open[k] = b.open
    this.high[k] = b.high
    this.low[k] = b.low
    this.close[k] = b.close
    this.vol[k] = b.vol
    this.amount[k] = b.amount
    this.rev[k] = b.rev
    for (let g = 0; g < this.grids.length; g++)
      if (this.cachedBucket[g] === this.grids[g]!.bucketOfSlot[k]) this.cachedBucket[g] = -1
  }

  /** The bucket of grid `g` holding slot `k`, from the cache when none of its slots changed since. */
  bucketOfSlot(g: number, k: number, symbol: BarClosed["symbol"], acc: BucketAggregate): ResampledBar {
    const grid = this.grids[g]!
    const bucket = grid.bucketOfSlot[k]!
    if (this.cachedBucket[g] === bucket) return this.cached[g]!
    const computed = this.bucket(grid, bucket, symbol, acc)
    this.cachedBucket[g] = bucket
    this.cached[g] = computed
    return computed
  }

  // Recomputed from the slots rather than updated in place: a revised bar can lower a high or raise a low.
  bucket(grid: BucketGrid, bucket: number, symbol: BarClosed["symbol"], acc: BucketAggregate): ResampledBar {
    const first = grid.firstSlot[bucket]
    const last = grid.lastSlot[bucket]
    let filled = 0
    let rev = 0
    acc.reset()
    for (let k = first; k <= last; k++) {
      if (this.rev[k] < 0) continue
      filled++
      rev += 1 + this.rev[k]
      acc.add(this.open[k], this.high[k], this.low[k], this.close[k], this.vol[k], this.amount[k])
    }
    const bar = acc.toBar(symbol, bucketFrame(grid, this.day, bucket))
    return { bar: { ...bar, period: grid.period, rev }, final: filled === last - first + 1 }
  }
}

/** An incremental resampler for `periods`; it keeps the latest `retainDays` (default 2) days per symbol. */
export const makeIncrementalResampler = (
  periods: ReadonlyArray<ResamplePeriod>,
  options: { readonly retainDays?: number } = {},
): IncrementalResampler => {
  const grids = periods.map(bucketGrid)
  const retainDays = options.retainDays ?? 2
  const bySymbol = new Map<string, SlotDay[]>()
  const acc = new BucketAggregate()

  // Days are kept newest first; a new day beyond the window pushes out the oldest (possibly itself).
  const dayOf = (symbol: string, day: string): SlotDay | undefined => {
    const days = bySymbol.get(symbol) ?? []
    if (days.length === 0) bySymbol.set(symbol, days)
    const found = days.find((d) => d.day === day)
    if (found !== undefined) return found
    const created = new SlotDay(day, grids)
    days.push(created)
    days.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0))
    if (days.length > retainDays) days.length = retainDays
    return days.includes(created) ? created : undefined
  }

  const stored = (store: SlotDay, slot: number, symbol: BarClosed["symbol"]) =>
    grids.map((_, g) => store.bucketOfSlot(g, slot, symbol, acc))

  // The day a bar was stored in and its slot, or undefined when the bar changes nothing.
  const take = (b: BarClosed): { store: SlotDay; slot: number } | undefined => {
    const slot = b.period === "1m" ? slotOfFrame(b.frame) : -1
    if (slot < 0) return undefined
    const store = dayOf(b.symbol, dayOfFrame(b.frame))
    if (store === undefined || b.rev <= store.rev[slot]) return undefined
    store.set(slot, b)
    return { store, slot }
  }

  const push = (b: BarClosed): ReadonlyArray<ResampledBar> => {
    const taken = take(b)
    return taken === undefined ? [] : stored(taken.store, taken.slot, b.symbol)
  }
  const bucketsOf = (b: Pick<BarClosed, "symbol" | "frame">): ReadonlyArray<ResampledBar> => {
    const slot = slotOfFrame(b.frame)
    const day = dayOfFrame(b.frame)
    const store = bySymbol.get(b.symbol)?.find((d) => d.day === day)
    if (slot < 0 || store === undefined) return []
    return stored(store, slot, b.symbol)
  }
  return { push, record: (b) => take(b) !== undefined, bucketsOf }
}
