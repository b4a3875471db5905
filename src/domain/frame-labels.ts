/**
 * Frame labels (`YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`) from the epoch times a table stores, built by one string
 * concatenation per bar: a year of 1m bars is 58,080 labels per read, too many for a Date per label.
 *
 * State: the labels of the days met so far (a labeler lives for one read, so the cache stays small).
 */
import { DAY_MS, formatDay, formatFrame, SHANGHAI_OFFSET_MS } from "./market-time.ts"

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const MINUTE_LABELS: ReadonlyArray<string> = Array.from(
  { length: 1440 },
  (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00`,
)

export interface FrameLabeler {
  /** `YYYY-MM-DD HH:MM:SS` Shanghai time of an instant in epoch seconds. */
  readonly intraday: (epochSeconds: number) => string
  /** `YYYY-MM-DD` of a ClickHouse Date (days since 1970-01-01). */
  readonly day: (daysSinceEpoch: number) => string
}

export const makeFrameLabeler = (): FrameLabeler => {
  const days = new Map<number, string>()
  const dayLabel = (localDay: number): string => {
    let label = days.get(localDay)
    if (label === undefined) {
      label = formatDay(localDay * DAY_MS)
      days.set(localDay, label)
    }
    return label
  }
  return {
    intraday: (epochSeconds) => {
      const localMs = epochSeconds * 1000 + SHANGHAI_OFFSET_MS
      const localDay = Math.floor(localMs / DAY_MS)
      const msOfDay = localMs - localDay * DAY_MS
      // Bars end on whole minutes; anything else is labelled the slow, general way.
      if (msOfDay % 60_000 !== 0) return formatFrame(epochSeconds * 1000)
      return `${dayLabel(localDay)} ${MINUTE_LABELS[msOfDay / 60_000]}`
    },
    day: dayLabel,
  }
}
