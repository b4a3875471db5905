/**
 * The resampling rule for one bucket, shared by batch and incremental resampling so they cannot diverge:
 * open/high/low from the bars with volume, close from the last bar, vol and amount summed; a bucket without
 * volume is flat at its last close.
 *
 * State: the running aggregate of the bars added since `reset`, in frame order.
 */
import type { Bar } from "./bar.ts"
import { roundAmount, roundShares } from "./bar-rounding.ts"

export class BucketAggregate {
  open = 0
  high = 0
  low = 0
  close = 0
  vol = 0
  amount = 0
  traded = false

  reset(): void {
    this.vol = this.amount = 0
    this.traded = false
  }

  /** Adds the next bar of the bucket (bars must come in frame order). */
  add(open: number, high: number, low: number, close: number, vol: number, amount: number): void {
    this.close = close
    this.vol += vol
    this.amount += amount
    if (vol <= 0) return
    if (!this.traded) {
      this.traded = true
      this.open = open
      this.high = high
      this.low = low
    } else {
      if (high > this.high) this.high = high
      if (low < this.low) this.low = low
    }
  }

  /** The bucket as a bar labelled `frame`. */
  toBar(symbol: Bar["symbol"], frame: string): Bar {
    const c = this.close
    const flat = !this.traded
    return {
      symbol,
      frame,
      open: flat ? c : this.open,
      // max/min with close only matter for inconsistent input (a flat bar off the previous close): they keep
      // low <= close <= high and change nothing for bars as the builder makes them.
      high: flat ? c : Math.max(this.high, c),
      low: flat ? c : Math.min(this.low, c),
      close: c,
      vol: roundShares(this.vol),
      amount: roundAmount(this.amount),
    }
  }
}
