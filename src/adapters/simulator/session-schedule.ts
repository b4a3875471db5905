/**
 * The simulated day as a grid of snapshot steps (every `stepMs` from 09:15:00 to the 15:00:30 post-close
 * repeat) and what the market does at each: auction snapshots, continuous trading, or nothing.
 */
import { parseShanghai } from "../../domain/market-time.ts"

/** What happens at a step. Continuous steps carry the trades made since the previous snapshot. */
export const StepKind = {
  Idle: 0,
  /** 09:15:00: the call auction opens; QMT pushes every symbol once with lastPrice 0. */
  PreOpen: 1,
  /** 09:25:00: the opening auction's match. */
  OpenAuction: 2,
  /** 09:30:00-11:30:00 and 13:00:00-14:57:00. */
  Continuous: 3,
  /** 15:00:00: the closing auction's match. */
  CloseAuction: 4,
  /** 15:00:30: QMT repeats the final snapshot unchanged. */
  PostClose: 5,
} as const
export type StepKind = (typeof StepKind)[keyof typeof StepKind]

export interface SessionSchedule {
  /** Epoch ms of Shanghai midnight of the day. */
  readonly midnightMs: number
  /** Epoch ms of step 0 (09:15:00). */
  readonly firstStepMs: number
  readonly stepMs: number
  readonly steps: number
  readonly kinds: Uint8Array
  /** Trading intensity per step (U-shaped over the day, about 1 on average, 0 outside continuous trading). */
  readonly intensity: Float64Array
  readonly continuousSteps: number
  /** Market-time spans [start, end) made only of idle steps: a fast clock may skip them. */
  readonly idleGaps: ReadonlyArray<readonly [number, number]>
}

const HOUR = 3_600_000
const MIN = 60_000
const at = (h: number, m: number, s = 0): number => h * HOUR + m * MIN + s * 1000

const kindAt = (t: number): StepKind => {
  if (t === at(9, 15)) return StepKind.PreOpen
  if (t === at(9, 25)) return StepKind.OpenAuction
  if ((t >= at(9, 30) && t <= at(11, 30)) || (t >= at(13, 0) && t <= at(14, 57))) return StepKind.Continuous
  if (t === at(15, 0)) return StepKind.CloseAuction
  if (t === at(15, 0, 30)) return StepKind.PostClose
  return StepKind.Idle
}

/** Busy after the open, calm at noon, a smaller burst after lunch and a rise into the close. */
const intensityAt = (t: number): number => {
  const m = t <= at(11, 30) ? (t - at(9, 30)) / MIN : 120 + (t - at(13, 0)) / MIN
  const afterLunch = m >= 120 ? 0.35 * Math.exp(-(m - 120) / 6) : 0
  return 0.62 + 1.7 * Math.exp(-m / 10) + 0.9 * Math.exp(-(237 - m) / 12) + afterLunch
}

const idleGapsOf = (kinds: Uint8Array, firstStepMs: number, stepMs: number): Array<[number, number]> => {
  const gaps: Array<[number, number]> = []
  for (let k = 0; k < kinds.length; k++) {
    if (kinds[k] !== StepKind.Idle) continue
    const start = k
    while (k + 1 < kinds.length && kinds[k + 1] === StepKind.Idle) k++
    gaps.push([firstStepMs + start * stepMs, firstStepMs + (k + 1) * stepMs])
  }
  return gaps
}

/** The schedule of `day` (`YYYY-MM-DD`, Shanghai) with snapshots every `stepMs` (a divisor of 30 s). */
export const makeSessionSchedule = (day: string, stepMs: number): SessionSchedule => {
  const midnightMs = parseShanghai(day)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(midnightMs)) {
    throw new RangeError(`day must be a date YYYY-MM-DD, got ${day}`)
  }
  // Every event time (09:25:00, 09:30:00, ..., 15:00:30) must fall on the grid.
  if (!Number.isInteger(stepMs) || stepMs < 100 || 30_000 % stepMs !== 0) {
    throw new RangeError(`tickIntervalMs must divide 30000 and be >= 100, got ${stepMs}`)
  }
  const steps = (at(15, 0, 30) - at(9, 15)) / stepMs + 1
  const kinds = new Uint8Array(steps)
  const intensity = new Float64Array(steps)
  let continuousSteps = 0
  for (let k = 0; k < steps; k++) {
    const t = at(9, 15) + k * stepMs
    kinds[k] = kindAt(t)
    if (kinds[k] === StepKind.Continuous) {
      intensity[k] = intensityAt(t)
      continuousSteps++
    }
  }
  const firstStepMs = midnightMs + at(9, 15)
  const idleGaps = [[midnightMs, firstStepMs] as [number, number], ...idleGapsOf(kinds, firstStepMs, stepMs)]
  return { midnightMs, firstStepMs, stepMs, steps, kinds, intensity, continuousSteps, idleGaps }
}

/** Market time of `HH:MM` or `HH:MM:SS` on the schedule's day; NaN when malformed. */
export const marketTimeOf = (schedule: SessionSchedule, hhmm: string): number => {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(hhmm)
  if (m === null) return Number.NaN
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? "0")]
  return h > 23 || mi > 59 || s > 59 ? Number.NaN : schedule.midnightMs + at(h, mi, s)
}
