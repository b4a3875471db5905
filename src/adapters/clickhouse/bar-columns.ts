/**
 * What bar reads return: one typed array per field (columnar, as charts and backtests consume them), with
 * frames as text and as epoch milliseconds of the frame end. Built from a decoded Native result.
 */
import { makeFrameLabeler } from "../../domain/frame-labels.ts"
import { DAY_MS, SHANGHAI_OFFSET_MS } from "../../domain/market-time.ts"
import type { StoredPeriod } from "../../domain/period.ts"
import type { AdjustMode } from "../../domain/price-adjustment.ts"
import type { NativeColumn } from "./native-format.ts"

export interface OhlcvColumns {
  /** `YYYY-MM-DD HH:MM:SS` (the bar's end, Shanghai) for intraday bars, `YYYY-MM-DD` for daily bars. */
  readonly frame: string[]
  /** Epoch ms of the frame end; a daily bar ends at the 15:00 close. */
  readonly time: Float64Array
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly vol: Float64Array
  readonly amount: Float64Array
}

export interface BarColumns extends OhlcvColumns {
  readonly symbol: string
  readonly period: StoredPeriod
  /** How prices were adjusted (volume and amount never are). */
  readonly adjustment: AdjustMode
}

export interface DailyColumns extends BarColumns {
  readonly period: "1d"
  /** The day's cumulative back-adjustment factor as stored with the bar (1 without reference data). */
  readonly adjust: Float64Array
  /** 1 = special treatment (ST) that day. */
  readonly st: Uint8Array
  /** Prices, adjusted like the bar's; NaN where unknown (no reference data and no previous close). */
  readonly limitUp: Float64Array
  readonly limitDown: Float64Array
  readonly preClose: Float64Array
}

/** The newest bar of each symbol that has one, in symbol order. */
export interface LatestColumns extends OhlcvColumns {
  readonly symbol: string[]
  readonly period: StoredPeriod
}

export const OHLCV_NATIVE = {
  frame: "number",
  open: "number",
  high: "number",
  low: "number",
  close: "number",
  vol: "number",
  amount: "number",
} as const

// 15:00 Shanghai is 07:00 UTC.
const DAILY_CLOSE_MS = 15 * 3_600_000 - SHANGHAI_OFFSET_MS

/** Frames as text and epoch ms from the stored numbers: DateTime seconds, or Date days for 1d. */
const framesOf = (period: StoredPeriod, stored: Float64Array): Pick<OhlcvColumns, "frame" | "time"> => {
  const label = makeFrameLabeler()
  const frame = new Array<string>(stored.length)
  const time = new Float64Array(stored.length)
  const daily = period === "1d"
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i]!
    frame[i] = daily ? label.day(v) : label.intraday(v)
    time[i] = daily ? v * DAY_MS + DAILY_CLOSE_MS : v * 1000
  }
  return { frame, time }
}

const numbers = (c: Record<string, NativeColumn>, name: string) => c[name] as Float64Array

export const ohlcvOf = (period: StoredPeriod, c: Record<string, NativeColumn>): OhlcvColumns => ({
  ...framesOf(period, numbers(c, "frame")),
  open: numbers(c, "open"),
  high: numbers(c, "high"),
  low: numbers(c, "low"),
  close: numbers(c, "close"),
  vol: numbers(c, "vol"),
  amount: numbers(c, "amount"),
})

/** Newest first (a `newest` read) back to oldest first: every column, in place. */
export const reverseColumns = (c: Record<string, NativeColumn>): Record<string, NativeColumn> => {
  for (const column of Object.values(c)) column.reverse()
  return c
}
