/**
 * Batch resampling of 1m bars (or of any bars on the same end-labelled grid, e.g. 5m -> 30m) into 5m, 30m,
 * 60m or daily bars, by the rule of bucket-aggregate.ts.
 */
import type { Bar } from "./bar.ts"
import { compareBars } from "./bar-order.ts"
import { BucketAggregate } from "./bucket-aggregate.ts"
import { bucketFrame, bucketGrid, type ResamplePeriod, slotOfFrame } from "./session-grid.ts"

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

/**
 * Bars of `period` from bars on the 1m grid, sorted by symbol then frame. Bars whose frame is not one of
 * the 240 daily labels are skipped (`slotOfFrame` < 0); a bucket with only some of its bars still yields one.
 */
export const resample = (bars1m: ReadonlyArray<Bar>, period: ResamplePeriod): Bar[] => {
  const grid = bucketGrid(period)
  const bars = normalised(bars1m)
  const out: Bar[] = []
  const acc = new BucketAggregate()
  let first: Bar | undefined
  let bucket = -1
  const finish = (b: Bar) => out.push(acc.toBar(b.symbol, bucketFrame(grid, b.frame.slice(0, 10), bucket)))
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]
    const slot = slotOfFrame(b.frame)
    if (slot < 0) continue
    const k = grid.bucketOfSlot[slot]
    if (first === undefined || k !== bucket || b.symbol !== first.symbol || !sameDay(b.frame, first.frame)) {
      if (first !== undefined) finish(first)
      first = b
      bucket = k
      acc.reset()
    }
    acc.add(b.open, b.high, b.low, b.close, b.vol, b.amount)
  }
  if (first !== undefined) finish(first)
  return out
}
