import { describe, expect, it } from "vitest"
import { parseShanghai } from "../../src/domain/market-time.ts"
import { newestBarLag } from "../../src/http/pipeline-gauges.ts"

describe("minutebar_newest_bar_lag_seconds", () => {
  it("is the time since the end of the newest bar", async () => {
    const frame = "2024-03-05 10:31:00"
    const [s] = await newestBarLag(() => ({ frame, at: 0 }))()
    expect(s!.value).toBeCloseTo((Date.now() - parseShanghai(frame)) / 1000, 0)
  })

  it("is served before the first bar too, as the time since the process started, so a stale alert can fire", async () => {
    const [s] = await newestBarLag(() => undefined, Date.now() - 240_000)()
    expect(s!.name).toBe("minutebar_newest_bar_lag_seconds")
    expect(s!.value).toBeGreaterThanOrEqual(240)
    expect(s!.value).toBeLessThan(250)
  })
})
