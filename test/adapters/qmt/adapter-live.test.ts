import { rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tempDir } from "../../support/servers.ts"
import {
  barsOf,
  batchBars,
  finalBars,
  readStream,
  STREAM,
  startAdapter,
  startRedis,
  stopAdapter,
  type TestRedis,
  TICKS,
  waitForBars,
  waitForOutput,
} from "./adapter-harness.ts"

describe("minutebar adapter, fed by the stand-in xtquant replaying a real day", () => {
  const dir = tempDir("adapter-live")
  let redis: TestRedis
  beforeAll(async () => {
    redis = await startRedis(dir)
  })
  afterAll(async () => {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const env = () => ({
    REDIS_URL: redis.url,
    REDIS_STREAM: STREAM,
    ADAPTER_STATE_DIR: join(dir, "state"),
    FAKE_XTQUANT_TICKS: TICKS,
  })

  it("puts in Redis exactly the bars `minutebar bars from-ticks` makes of the same ticks, and the day's reference data", async () => {
    const adapter = startAdapter(env())
    await waitForBars(redis.client, 240, adapter)
    const events = await readStream(redis.client)
    expect(finalBars(barsOf(events))).toEqual(batchBars(TICKS))
    // A live feed closes each bar once, on the clock: no revisions, no repeats.
    expect(barsOf(events)).toHaveLength(240)
    expect(events.filter((e) => e.type === "ref").map((e) => JSON.parse(e.data))).toEqual([
      {
        symbol: "600519.SH",
        day: "2023-02-01",
        name: "贵州茅台",
        preClose: 1845.76,
        limitUp: 2030.34,
        limitDown: 1661.18,
        st: false,
        adjust: 1,
      },
    ])
    expect(await stopAdapter(adapter)).toBe(0)
  })

  it("a restart on the same state re-reads the day from QMT and adds no bar (reference data is re-sent as is)", async () => {
    const before = await readStream(redis.client)
    const adapter = startAdapter(env())
    await waitForOutput(adapter, /5098 replayed/)
    expect(await stopAdapter(adapter)).toBe(0)
    expect(adapter.output()).toMatch(/resumed 1 symbols/)
    const added = (await readStream(redis.client)).slice(before.length)
    expect(added.map((e) => e.type)).toEqual(["ref"])
    expect(added[0]).toEqual(before.find((e) => e.type === "ref"))
  })
})
