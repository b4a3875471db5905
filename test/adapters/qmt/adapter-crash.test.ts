import { rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { tempDir } from "../../support/servers.ts"
import {
  type AdapterProcess,
  barsOf,
  batchBars,
  conflictingIds,
  finalBars,
  killAll,
  readStream,
  STREAM,
  startAdapter,
  startRedis,
  stopAdapter,
  type TestRedis,
  TICKS,
  waitForBars,
} from "./adapter-harness.ts"

// Exchange end-of-day figures of the recorded day (../shared/realdata/README.md).
const DAY_VOLUME = 3_397_389
const DAY_AMOUNT = 6_244_678_924.61

describe("the adapter survives crashes of QMT, the bridge and itself without losing or doubling a bar", () => {
  const dir = tempDir("adapter-crash")
  let redis: TestRedis
  let running: AdapterProcess | undefined
  let run = 0
  const expected = batchBars(TICKS)

  beforeAll(async () => {
    redis = await startRedis(dir)
  })
  afterEach(async () => {
    if (running !== undefined) await killAll(running)
    running = undefined
    await redis.client.del(STREAM)
  })
  afterAll(async () => {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const env = (extra: Record<string, string> = {}) => ({
    REDIS_URL: redis.url,
    REDIS_STREAM: STREAM,
    ADAPTER_STATE_DIR: join(dir, `state-${run}`),
    FAKE_XTQUANT_TICKS: TICKS,
    FAKE_XTQUANT_ONCE_FILE: join(dir, `fault-${run}`),
    ...extra,
  })
  const start = (extra: Record<string, string> = {}) => {
    running = startAdapter(env(extra))
    return running
  }

  it("QMT disconnecting mid-day (xtdata.run raises) restarts the bridge, and the bars are those of an unbroken day", async () => {
    run++
    const adapter = start({ FAKE_XTQUANT_STOP_AFTER: "2500" })
    await waitForBars(redis.client, 240, adapter)
    expect(adapter.output()).toMatch(/bridge exited with code 2; restarting/)
    const bars = barsOf(await readStream(redis.client))
    expect(finalBars(bars)).toEqual(expected)
    expect(conflictingIds(bars)).toEqual([])
  })

  it("SIGKILL of the adapter and its bridge, three times mid-day: after restarts, the same bars, none doubled", async () => {
    run++
    for (const atBars of [40, 110, 190]) {
      const adapter = start({ FAKE_XTQUANT_SPEED: "4000" })
      await waitForBars(redis.client, atBars, adapter)
      await killAll(adapter)
    }
    const adapter = start({ FAKE_XTQUANT_SPEED: "max" })
    await waitForBars(redis.client, 240, adapter)
    expect(adapter.output()).toMatch(/resumed 1 symbols/)
    await new Promise((r) => setTimeout(r, 500))
    expect(await stopAdapter(adapter)).toBe(0)
    running = undefined
    const bars = barsOf(await readStream(redis.client))
    expect(finalBars(bars)).toEqual(expected)
    expect(conflictingIds(bars)).toEqual([])
  })

  it("after a restart QMT sends only current snapshots: the missed minutes' volume lands later, none is lost or doubled", async () => {
    run++
    const first = start({ FAKE_XTQUANT_HANG_AFTER: "1500", QMT_STALL_MS: "600000" })
    await waitForBars(redis.client, 30, first)
    await killAll(first)
    // The restarted bridge's first snapshot is 300 ticks (15 minutes) later.
    const second = start({ FAKE_XTQUANT_START_AT: "1800" })
    await waitForBars(redis.client, 240, second)
    await new Promise((r) => setTimeout(r, 500))
    const bars = finalBars(barsOf(await readStream(redis.client))) as unknown as Array<{
      vol: number
      amount: number
    }>
    expect(bars).toHaveLength(240)
    expect(bars).not.toEqual(expected)
    expect(bars.reduce((s, b) => s + b.vol, 0)).toBe(DAY_VOLUME)
    expect(Math.round(bars.reduce((s, b) => s + b.amount, 0) * 100) / 100).toBe(DAY_AMOUNT)
    expect(conflictingIds(barsOf(await readStream(redis.client)))).toEqual([])
  })

  it("a feed that stalls in trading hours is killed and restarted after QMT_STALL_MS", async () => {
    run++
    const adapter = start({ FAKE_XTQUANT_HANG_AFTER: "2000", QMT_STALL_MS: "1500" })
    await waitForBars(redis.client, 240, adapter)
    expect(adapter.output()).toMatch(/no tick for 1500 ms in trading hours; killed it/)
    expect(finalBars(barsOf(await readStream(redis.client)))).toEqual(expected)
  })
})
