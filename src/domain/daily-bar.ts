/**
 * A daily bar sampled with the day's reference data (adjustment factor, ST, limits, previous close). Without
 * exchange reference data the limits are computed from the previous close by the board's rule, and marked so.
 */
import type { BarClosed } from "./bar.ts"
import type { InstrumentReference } from "./instrument-reference.ts"
import { priceLimits } from "./price-limits.ts"

export interface DailyBar {
  readonly symbol: string
  readonly frame: string
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly vol: number
  readonly amount: number
  readonly rev: number
  readonly adjust: number
  readonly st: boolean
  readonly limit_up: number | null
  readonly limit_down: number | null
  readonly pre_close: number | null
  readonly ref_computed: boolean
  /** Upsert version: a later minute (rev) or arriving reference data both replace the stored row. */
  readonly version: number
}

export const sampleDaily = (
  bar: BarClosed,
  ref: InstrumentReference | undefined,
  previousClose: number | undefined,
): DailyBar => {
  const ohlcv = {
    symbol: bar.symbol,
    frame: bar.frame,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    vol: bar.vol,
    amount: bar.amount,
    rev: bar.rev,
  }
  if (ref !== undefined) {
    const { adjust, st, limitUp, limitDown, preClose } = ref
    const daily = { adjust, st, limit_up: limitUp, limit_down: limitDown, pre_close: preClose }
    return { ...ohlcv, ...daily, ref_computed: false, version: bar.rev * 2 + 1 }
  }
  const limits = previousClose === undefined ? undefined : priceLimits(bar.symbol, previousClose, false)
  return {
    ...ohlcv,
    adjust: 1,
    st: false,
    limit_up: limits?.limitUp ?? null,
    limit_down: limits?.limitDown ?? null,
    pre_close: previousClose ?? null,
    ref_computed: true,
    version: bar.rev * 2,
  }
}
