/**
 * Batch resampling of 1m bars (or of any bars on the same end-labelled grid, e.g. 5m -> 30m) into 5m, 30m,
 * 60m or daily bars: open/high/low from the bucket's bars with volume, close from its last bar, sums of vol
 * and amount; a bucket without volume is flat at its last close. Must agree with incremental-resampler.ts.
 */
import type { Bar } from "./bar.ts"
import { compareBars } from "./bar-order.ts"
import { roundAmount, roundShares } from "./bar-rounding.ts"
import { type BucketGrid, bucketFrame, bucketGrid, type ResamplePeriod, slotOfFrame } from "./session-grid.ts"

// Sorted input is the common case (files, batch output); anything else is sorted once, and of bars with the
// same symbol and frame the last one given wins (a later line corrects an earlier one).
const normalised = (bars: ReadonlyArray<Bar>): ReadonlyArray<Bar> => {
  let sorted = true
  for (let i = 1; i < bars.length && sorted; i++) sorted = compareBars(bars[i - 1], bars[i]) < 0
  if (sorted) return bars
  const copy = [...bars].sort(compareBars)
  return copy.filter((b, i) => i + 1 === copy.length || compareBars(b, copy[i + 1]) !== 0)
}

const sameDay = (a: string, b: string): boolean => {
  for (let i = 0; i < 10; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false
  return true
}

/** Running aggregate of one bucket; reused across buckets so the loop allocates only the output bars. */
class Bucket {
  first: Bar | undefined = undefined
  bucket = -1
  open = 0
  high = 0
  low = 0
  close = 0
  vol = 0
  amount = 0
  traded = false

  start(b: Bar, bucket: number): void {
    this.first = b
    this.bucket = bucket
    this.vol = this.amount = 0
    this.traded = false
  }

  add(b: Bar): void {
    this.close = b.close
    this.vol += b.vol
    this.amount += b.amount
    if (b.vol <= 0) return
    if (!this.traded) {
      this.traded = true
      this.open = b.open
      this.high = b.high
      this.low = b.low
    } else {
      if (b.high > this.high) this.high = b.high
      if (b.low < this.low) this.low = b.low
    }
  }

  toBar(grid: BucketGrid): Bar {
    const first = this.first!
    const flat = !this.traded
    return {
      symbol: first.symbol,
      frame: bucketFrame(grid, first.frame.slice(0, 10), this.bucket),
      open: flat ? this.close : this.open,
      // max/min with close only matter for inconsistent input (a flat bar off the previous close); they keep
      // low <= close <= high, and change nothing for bars as the builder makes them.
      high: flat ? this.close : Math.max(this.high, this.close),
      low: flat ? this.close : Math.min(this.low, this.close),
      close: this.close,
      vol: roundShares(this.vol),
      amount: roundAmount(this.amount),
    }
  }
}

/**
 * Bars of `period` from bars on the 1m grid, sorted by symbol then frame. Bars whose frame is not one of
 * the 240 daily labels are skipped (`slotOfFrame` < 0); a bucket with only some of its bars still yields one.
 */
export const resample = (bars1m: ReadonlyArray<Bar>, period: ResamplePeriod): Bar[] => {
  const grid = bucketGrid(period)
  const bars = normalised(bars1m)
  const out: Bar[] = []
  const acc = new Bucket()
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]
    const slot = slotOfFrame(b.frame)
    if (slot < 0) continue
    const bucket = grid.bucketOfSlot[slot]
    const first = acc.first
    if (
      first === undefined ||
      bucket !== acc.bucket ||
      b.symbol !== first.symbol ||
      !sameDay(b.frame, first.frame)
    ) {
      if (first !== undefined) out.push(acc.toBar(grid))
      acc.start(b, bucket)
    }
    acc.add(b)
  }
  if (acc.first !== undefined) out.push(acc.toBar(grid))
  return out
}
