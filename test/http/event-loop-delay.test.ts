import { describe, expect, it } from "vitest"
import { eventLoopDelay } from "../../src/http/event-loop-delay.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const block = (ms: number) => {
  const until = Date.now() + ms
  while (Date.now() < until) {}
}
const quantiles = (samples: ReadonlyArray<{ labels?: Record<string, string>; value: number }>) =>
  Object.fromEntries(samples.map((s) => [s.labels?.quantile, s.value]))

describe("minutebar_event_loop_delay_seconds", () => {
  it("shows a stretch the thread was blocked, as the longest delay since the previous scrape", async () => {
    const gauge = eventLoopDelay(5)
    await sleep(50)
    block(200)
    await sleep(50)
    const q = quantiles(await gauge())
    expect(q["1"]).toBeGreaterThanOrEqual(0.15)
    expect(Object.keys(q).sort()).toEqual(["0.5", "0.99", "1"])
  })

  it("starts afresh at each scrape: a block already reported is not reported again", async () => {
    const gauge = eventLoopDelay(5)
    await sleep(20)
    block(200)
    await sleep(20)
    await gauge()
    await sleep(100)
    expect(quantiles(await gauge())["1"]).toBeLessThan(0.15)
  })
})
