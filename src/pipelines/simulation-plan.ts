/**
 * Which day the simulated source plays and how fast, when the user did not say: live (speed 1 from now)
 * while the market is open, otherwise the latest weekday's whole session at 60x, so bars appear at once.
 */
import { DAY_MS, formatDay, localMidnight, localTimeOfDayMs } from "../domain/market-time.ts"

export interface SimulationPlan {
  readonly day: string
  readonly speed: number | "max"
  /** Market time `HH:MM:SS` to start from. */
  readonly from: string
  readonly why: string
}

const OPEN_MS = (9 * 60 + 15) * 60_000
const CLOSE_MS = 15 * 3_600_000
const isWeekday = (epochMs: number) => {
  const dow = new Date(epochMs + 8 * 3_600_000).getUTCDay()
  return dow >= 1 && dow <= 5
}
const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19)

export const planSimulation = (
  nowMs: number,
  speed: number | "max" | "auto",
  day: string | undefined,
  from = "09:15:00",
): SimulationPlan => {
  const tod = localTimeOfDayMs(nowMs)
  const openNow = isWeekday(nowMs) && tod >= OPEN_MS && tod < CLOSE_MS + 60_000
  if (day !== undefined)
    return { day, speed: speed === "auto" ? 60 : speed, from, why: `SIM_DAY=${day} from ${from}` }
  if (openNow && (speed === "auto" || speed === 1)) {
    return {
      day: formatDay(nowMs),
      speed: 1,
      from: hhmmss(tod),
      why: "the market is open: live at real pace",
    }
  }
  let d = localMidnight(nowMs) + (isWeekday(nowMs) && tod >= CLOSE_MS ? 0 : -DAY_MS)
  while (!isWeekday(d + 12 * 3_600_000)) d -= DAY_MS
  const s = speed === "auto" ? 60 : speed
  return {
    day: formatDay(d + 12 * 3_600_000),
    speed: s,
    from: "09:15:00",
    why: `the market is closed: replaying ${formatDay(d + 12 * 3_600_000)} at ${s}x`,
  }
}

/**
 * Whether the simulated source follows the exchange clock (today's session at real pace): only then can the
 * newest bar be judged against the wall clock (the health check's freshness).
 */
export const followsExchangeClock = (plan: SimulationPlan, nowMs: number): boolean =>
  plan.speed === 1 && plan.day === formatDay(nowMs)
