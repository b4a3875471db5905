/**
 * The inclusive frame bounds of a bar read: `start`/`end` as a user writes them (`YYYY-MM-DD`,
 * `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`, Shanghai) turned into the frames they enclose.
 */
import { Result } from "effect"
import { formatFrame, parseShanghai } from "./market-time.ts"
import type { StoredPeriod } from "./period.ts"

export interface FrameBounds {
  /** `YYYY-MM-DD HH:MM:SS` for intraday periods, `YYYY-MM-DD` for 1d. */
  readonly start: string
  readonly end: string
}

export interface RangeProblem {
  readonly param: "start" | "end"
  readonly reason: string
}

const FORMATS = "expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (Shanghai)"

/** A date alone as `end` means through the end of that day; a daily read compares days only. */
export const frameBounds = (
  period: StoredPeriod,
  start: string,
  end: string,
): Result.Result<FrameBounds, RangeProblem> => {
  const from = parseShanghai(start)
  const to = parseShanghai(end)
  if (Number.isNaN(from)) return Result.fail({ param: "start", reason: FORMATS })
  if (Number.isNaN(to)) return Result.fail({ param: "end", reason: FORMATS })
  const bounds =
    period === "1d"
      ? { start: start.slice(0, 10), end: end.slice(0, 10) }
      : { start: formatFrame(from), end: end.length === 10 ? `${end} 23:59:59` : formatFrame(to) }
  return bounds.start > bounds.end
    ? Result.fail({ param: "start", reason: "is after end" })
    : Result.succeed(bounds)
}
