/** Bar periods: 1m is built from ticks; the others are resampled from 1m on the end-labelled session grid. */
import { Schema } from "effect"

export const Period = Schema.Literals(["1m", "5m", "30m", "60m", "1d"])
export type Period = typeof Period.Type

/** Periods that have a ClickHouse table and a JetStream subject family. */
export const StoredPeriod = Schema.Literals(["1m", "5m", "30m", "1d"])
export type StoredPeriod = typeof StoredPeriod.Type

/** Length in market minutes of an intraday period; the day is 240 market minutes. */
export const periodMinutes: Record<Period, number> = { "1m": 1, "5m": 5, "30m": 30, "60m": 60, "1d": 240 }
