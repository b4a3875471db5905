import { describe, expect, it } from "vitest"
import { parseShanghai } from "../../src/domain/market-time.ts"
import { freshnessProbe, staleness } from "../../src/http/freshness-probe.ts"
import { healthRoute } from "../../src/http/routes/health-route.ts"
import { followsExchangeClock, planSimulation } from "../../src/pipelines/simulation-plan.ts"

const at = (s: string) => parseShanghai(s)
const newest = (frame: string) => ({ frame, at: 0 })

describe("data freshness: during a session the newest 1m bar is at most 2 minutes behind the exchange clock", () => {
  it("10:33:30 with the 10:32 bar is fresh; with the 10:31 bar (2.5 min) it is stale", () => {
    expect(staleness(at("2024-03-05 10:33:30"), newest("2024-03-05 10:32:00"))).toBeUndefined()
    expect(staleness(at("2024-03-05 10:33:30"), newest("2024-03-05 10:31:00"))).toMatch(
      /no new bar for 150 s.*10:31:00/,
    )
  })

  it("a session's first minutes are measured from its open, not from the last bar before it", () => {
    expect(staleness(at("2024-03-05 09:31:30"), newest("2024-03-04 15:00:00"))).toBeUndefined()
    expect(staleness(at("2024-03-05 13:01:59"), newest("2024-03-05 11:30:00"))).toBeUndefined()
    expect(staleness(at("2024-03-05 13:02:01"), newest("2024-03-05 11:30:00"))).toMatch(/no new bar/)
    expect(staleness(at("2024-03-05 09:40:00"), undefined)).toMatch(/newest: none/)
  })

  it("outside sessions, at lunch and on weekends old data is expected", () => {
    expect(staleness(at("2024-03-05 12:00:00"), newest("2024-03-05 11:30:00"))).toBeUndefined()
    expect(staleness(at("2024-03-05 20:00:00"), newest("2024-03-01 15:00:00"))).toBeUndefined()
    expect(staleness(at("2024-03-09 10:00:00"), newest("2024-03-08 15:00:00"))).toBeUndefined()
  })
})

describe("which feeds are judged by the exchange clock", () => {
  const now = at("2024-03-05 10:40:00")

  it("a simulation of today at real pace is; a replayed day, or today at another speed, is not", () => {
    expect(followsExchangeClock(planSimulation(now, "auto", undefined), now)).toBe(true)
    expect(followsExchangeClock(planSimulation(now, "max", "2024-03-05"), now)).toBe(false)
    expect(followsExchangeClock(planSimulation(now, 1, "2024-03-04"), now)).toBe(false)
    expect(followsExchangeClock(planSimulation(at("2024-03-05 20:00:00"), "auto", undefined), now)).toBe(
      false,
    )
  })
})

describe("/health", () => {
  it("is 503 naming the stale data during a session, 200 when it is fresh", async () => {
    const clock = () => at("2024-03-05 10:40:00")
    const stale = healthRoute([freshnessProbe(() => newest("2024-03-05 10:30:00"), clock)])
    const res = await stale.request("/")
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({
      status: "degraded",
      checks: { freshness: { status: "error", error: expect.stringMatching(/no new bar for 600 s/) } },
    })
    const fresh = healthRoute([freshnessProbe(() => newest("2024-03-05 10:39:00"), clock)])
    expect((await fresh.request("/")).status).toBe(200)
  })
})
