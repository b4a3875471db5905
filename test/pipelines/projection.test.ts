import { Fiber } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { InstrumentReference } from "../../src/domain/instrument-reference.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { waitDrained } from "../support/consumer-drained.ts"
import { referenceMessage } from "../support/log-messages.ts"
import { makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { comparable, projectionFixture, tableBars } from "./projection-fixture.ts"

const TABLES = { "1m": "bars_1m", "5m": "bars_5m", "30m": "bars_30m", "1d": "bars_1d" } as const

describe("projection: the log -> bars_1m / 5m / 30m / 1d", () => {
  const fixture = projectionFixture()
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  let fiber: Fiber.Fiber<unknown, unknown>

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    fiber = runtime.runFork(runProjection({ durable: "projection", batchSize: 400, flushMs: 50 }))
  })
  afterAll(async () => {
    await runtime.runPromise(Fiber.interrupt(fiber))
    await runtime.dispose()
    await servers.stop()
  })

  it("shuffled, duplicated and revised 1m bars give each table exactly the resampler's bars", async () => {
    const ref: InstrumentReference = {
      symbol: "000001.SZ",
      day: "2018-01-03",
      name: "平安银行",
      preClose: 13.3,
      limitUp: 14.63,
      limitDown: 11.97,
      st: false,
      adjust: 1.5,
    } as InstrumentReference
    await runtime.runPromise(
      MarketLog.use((log) => log.publish([...fixture.publications, referenceMessage(ref)])),
    )
    await waitDrained(servers.natsUrl, "projection")
    for (const period of ["1m", "5m", "30m", "1d"] as const) {
      const got = comparable(await runtime.runPromise(tableBars(TABLES[period])))
      expect(got, `bars_${period}`).toEqual(comparable(fixture.expected(period)))
    }
    const daily = await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{
          symbol: string
          frame: string
          adjust: number
          limit_up: number | null
          pre_close: number | null
          ref_computed: boolean
        }>(
          "SELECT symbol, toString(frame) AS frame, adjust, limit_up, pre_close, ref_computed FROM bars_1d FINAL WHERE symbol = '000001.SZ' ORDER BY frame",
        ),
      ),
    )
    // Day 1 has no previous close; day 2 has exchange reference data; day 3 limits follow the board rule (10%).
    expect(daily[0]).toMatchObject({ frame: "2018-01-02", limit_up: null, ref_computed: true, adjust: 1 })
    expect(daily[1]).toMatchObject({
      frame: "2018-01-03",
      limit_up: 14.63,
      pre_close: 13.3,
      adjust: 1.5,
      ref_computed: false,
    })
    const close2 = fixture
      .expected("1d")
      .find((b) => b.symbol === "000001.SZ" && b.frame === "2018-01-03")!.close
    expect(daily[2]).toMatchObject({ frame: "2018-01-04", pre_close: close2, ref_computed: true })
    expect(daily[2]!.limit_up).toBe(Math.floor((Math.round(close2 * 100) * 110 + 50) / 100) / 100)
  })

  it("replaying the whole log a second time changes nothing", async () => {
    const before = await Promise.all(
      (["1m", "5m", "30m", "1d"] as const).map((p) => runtime.runPromise(tableBars(TABLES[p]))),
    )
    const again = runtime.runFork(
      runProjection({ durable: "projection-replay", batchSize: 300, flushMs: 50 }),
    )
    await waitDrained(servers.natsUrl, "projection-replay")
    await runtime.runPromise(Fiber.interrupt(again))
    const after = await Promise.all(
      (["1m", "5m", "30m", "1d"] as const).map((p) => runtime.runPromise(tableBars(TABLES[p]))),
    )
    expect(after).toEqual(before)
  })
})
