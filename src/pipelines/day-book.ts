/**
 * One trading day's final 1m bars for many symbols in compact columns (a full market, 5,000 x 240, is ~70 MB
 * instead of 1.2M objects), given back in market order (frame, then symbol) at 1m or resampled to a coarser
 * period by the domain's bucket rule.
 *
 * State: symbol -> row; per (row, slot) the OHLCV and rev of the highest revision seen, rev -1 for none.
 * Invariant: a slot only takes a bar with a higher rev than it holds, so arrival order, duplicates and late
 * revisions do not change the result (the rule of ClickHouse's ReplacingMergeTree(rev) and the projection).
 */
import type { BarClosed } from "../domain/bar.ts"
import { BucketAggregate } from "../domain/bucket-aggregate.ts"
import type { Period } from "../domain/period.ts"
import {
  type BucketGrid,
  bucketFrame,
  bucketGrid,
  SLOT_LABELS,
  SLOTS_PER_DAY,
} from "../domain/session-grid.ts"
import type { SymbolCode } from "../domain/symbol.ts"

/** The bars of one frame; `slot` is the bucket's last minute, when the frame is complete in market time. */
export interface FrameGroup {
  readonly slot: number
  readonly frame: string
  readonly bars: ReadonlyArray<BarClosed>
}

const FIELDS = 6

export class DayBook {
  readonly day: string
  private readonly rows = new Map<string, number>()
  private readonly symbols: string[] = []
  private capacity = 0
  private values = new Float64Array(0)
  private revs = new Int32Array(0)
  private filled = 0

  constructor(day: string) {
    this.day = day
  }

  /** Bars held (at most one per symbol and minute). */
  get size(): number {
    return this.filled
  }

  get symbolCount(): number {
    return this.symbols.length
  }

  /** Takes a bar of this day at `slot` (0..239) unless the slot holds an equal or higher rev. */
  put(
    symbol: string,
    slot: number,
    open: number,
    high: number,
    low: number,
    close: number,
    vol: number,
    amount: number,
    rev: number,
  ): void {
    const i = this.rowOf(symbol) * SLOTS_PER_DAY + slot
    const held = this.revs[i]
    if (rev <= held) return
    if (held < 0) this.filled++
    this.revs[i] = rev
    const v = i * FIELDS
    this.values[v] = open
    this.values[v + 1] = high
    this.values[v + 2] = low
    this.values[v + 3] = close
    this.values[v + 4] = vol
    this.values[v + 5] = amount
  }

  /** The day's bars of `period` grouped by frame, frames in time order, symbols sorted within a frame. */
  *groups(period: Period): Generator<FrameGroup> {
    const order = [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row)
    if (period === "1m") yield* this.minuteGroups(order)
    else yield* this.bucketGroups(order, bucketGrid(period))
  }

  private *minuteGroups(order: ReadonlyArray<number>): Generator<FrameGroup> {
    for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
      const frame = `${this.day} ${SLOT_LABELS[slot]}`
      const bars: BarClosed[] = []
      for (const row of order) {
        const i = row * SLOTS_PER_DAY + slot
        if (this.revs[i] < 0) continue
        const v = i * FIELDS
        const x = this.values
        bars.push({
          symbol: this.symbols[row] as SymbolCode,
          frame,
          open: x[v],
          high: x[v + 1],
          low: x[v + 2],
          close: x[v + 3],
          vol: x[v + 4],
          amount: x[v + 5],
          period: "1m",
          rev: this.revs[i],
        })
      }
      if (bars.length > 0) yield { slot, frame, bars }
    }
  }

  private *bucketGroups(order: ReadonlyArray<number>, grid: BucketGrid): Generator<FrameGroup> {
    const acc = new BucketAggregate()
    for (let bucket = 0; bucket < grid.bucketCount; bucket++) {
      const frame = bucketFrame(grid, this.day, bucket)
      const bars: BarClosed[] = []
      for (const row of order) {
        const bar = this.bucketBar(acc, grid, row, bucket, frame)
        if (bar !== undefined) bars.push(bar)
      }
      if (bars.length > 0) yield { slot: grid.lastSlot[bucket], frame, bars }
    }
  }

  // The bucket's rev is the one the incremental resampler gives (sum of 1 + rev over its minutes), so a
  // replayed 5m bar carries the version the projection wrote for it.
  private bucketBar(acc: BucketAggregate, grid: BucketGrid, row: number, bucket: number, frame: string) {
    let rev = 0
    let any = false
    acc.reset()
    for (let slot = grid.firstSlot[bucket]; slot <= grid.lastSlot[bucket]; slot++) {
      const i = row * SLOTS_PER_DAY + slot
      if (this.revs[i] < 0) continue
      any = true
      rev += 1 + this.revs[i]
      const v = i * FIELDS
      const x = this.values
      acc.add(x[v], x[v + 1], x[v + 2], x[v + 3], x[v + 4], x[v + 5])
    }
    if (!any) return undefined
    const bar: BarClosed = { ...acc.toBar(this.symbols[row] as SymbolCode, frame), period: grid.period, rev }
    return bar
  }

  private rowOf(symbol: string): number {
    const known = this.rows.get(symbol)
    if (known !== undefined) return known
    const row = this.symbols.length
    this.symbols.push(symbol)
    this.rows.set(symbol, row)
    if (row >= this.capacity) this.grow()
    return row
  }

  private grow(): void {
    this.capacity = Math.max(64, this.capacity * 2)
    const values = new Float64Array(this.capacity * SLOTS_PER_DAY * FIELDS)
    values.set(this.values)
    const revs = new Int32Array(this.capacity * SLOTS_PER_DAY).fill(-1)
    revs.set(this.revs)
    this.values = values
    this.revs = revs
  }
}
