import { Effect, Fiber, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { Bar } from "../../src/domain/bar.ts"
import type { InstrumentReference } from "../../src/domain/instrument-reference.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { connectMinutebar, type Minutebar } from "../../src/sdk/minutebar-sdk.ts"
import {
  insertFixture,
  onServer,
  queriesLayer,
  SERVER_HINT,
  serverTarget,
} from "../adapters/clickhouse/bar-queries-fixture.ts"
import { projectionFixture } from "../pipelines/projection-fixture.ts"
import { waitDrained } from "../support/consumer-drained.ts"
import { referenceMessage } from "../support/log-messages.ts"
import { makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const S = "000001.SZ"
// A dividend on 2018-01-04: the cumulative factor goes from 1 to 1.1 (no reference data on 01-03).
const refs = [
  { day: "2018-01-02", adjust: 1 },
  { day: "2018-01-04", adjust: 1.1 },
].map(({ day, adjust }) => ({
  symbol: S,
  day,
  name: "平安银行",
  preClose: 13,
  limitUp: 14.3,
  limitDown: 11.7,
  st: false,
  adjust,
})) as InstrumentReference[]

const round = (xs: ArrayLike<number>) => Array.from(xs, (x) => Math.round(x * 1e4) / 1e4)

describe("the query SDK reads what the projection wrote (chDB)", () => {
  const fixture = projectionFixture()
  const expected = (period: "1m" | "5m" | "30m" | "1d"): Bar[] =>
    fixture.expected(period).filter((b) => b.symbol === S)
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  let sdk: Minutebar

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    const fiber = runtime.runFork(runProjection({ durable: "projection", batchSize: 500, flushMs: 50 }))
    await runtime.runPromise(
      MarketLog.use((log) => log.publish([...fixture.publications, ...refs.map(referenceMessage)])),
    )
    await waitDrained(servers.natsUrl, "projection")
    await runtime.runPromise(Fiber.interrupt(fiber))
    // The same process may open the path a second time: the SDK shares chDB's one session.
    sdk = await connectMinutebar({ chdbPath: `${servers.dir}/clickhouse` })
  })
  afterAll(async () => {
    await sdk?.close()
    await runtime.dispose()
    await servers.stop()
  })

  it("every period over the three days: each projected bar once, in frame order", async () => {
    for (const period of ["1m", "5m", "30m", "1d"] as const) {
      const bars = await sdk.getBars(S, period, "2018-01-02", "2018-01-04")
      const want = expected(period)
      expect(bars.frame, period).toEqual(want.map((b) => b.frame))
      expect(round(bars.close), period).toEqual(round(want.map((b) => b.close)))
      expect(round(bars.vol), period).toEqual(round(want.map((b) => b.vol)))
    }
  })

  it("back and front adjustment around the 2018-01-04 dividend", async () => {
    const raw = await sdk.getBars(S, "30m", "2018-01-03 15:00", "2018-01-04 10:00")
    expect(raw.frame).toEqual(["2018-01-03 15:00:00", "2018-01-04 10:00:00"])
    const back = await sdk.getBars(S, "30m", "2018-01-03 15:00", "2018-01-04 10:00", { adjust: "back" })
    expect(round(back.close)).toEqual(round([raw.close[0]!, raw.close[1]! * 1.1]))
    const front = await sdk.getBars(S, "30m", "2018-01-03 15:00", "2018-01-04 10:00", { adjust: "front" })
    expect(round(front.close)).toEqual(round([raw.close[0]! / 1.1, raw.close[1]!]))
    const daily = await sdk.getDaily(S, "2018-01-02", "2018-01-04", { adjust: "front" })
    expect(round(daily.adjust)).toEqual([1, 1, 1.1])
    expect(round(daily.close)).toEqual(round(expected("1d").map((b, i) => (i < 2 ? b.close / 1.1 : b.close))))
  })

  it("the latest bar of each symbol, and a bad range rejects naming its parameter", async () => {
    const latest = await sdk.getLatest([...fixture.symbols, "000002.SZ"])
    expect(latest.symbol).toEqual(fixture.symbols)
    expect(latest.frame).toEqual(fixture.symbols.map(() => "2018-01-04 15:00:00"))
    await expect(sdk.getBars(S, "1m", "2018-01-04", "2018-01-02")).rejects.toMatchObject({
      _tag: "BadBarQuery",
      param: "start",
    })
  })
})

describe(`the query SDK on a ClickHouse server (${SERVER_HINT})`, () => {
  const database = `minutebar_sdk_test_${process.pid}`
  const server = serverTarget(database)
  if (server === undefined) console.log(`the SDK's ClickHouse server test skipped: ${SERVER_HINT}`)
  it.skipIf(server === undefined)("connects by URL and reads the fixture's latest bars", async () => {
    await Effect.runPromise(onServer(`CREATE DATABASE IF NOT EXISTS ${database}`))
    const filled = ManagedRuntime.make(queriesLayer(server!))
    await filled.runPromise(insertFixture)
    await filled.dispose()
    const sdk = await connectMinutebar({
      clickhouseUrl: process.env.CLICKHOUSE_TEST_URL!,
      database,
      ...(process.env.CLICKHOUSE_TEST_USER === undefined
        ? {}
        : { username: process.env.CLICKHOUSE_TEST_USER }),
      ...(process.env.CLICKHOUSE_TEST_PASSWORD === undefined
        ? {}
        : { password: process.env.CLICKHOUSE_TEST_PASSWORD }),
    })
    try {
      const latest = await sdk.getLatest(["000001.SZ", "600000.SH"])
      expect(latest.frame).toEqual(["2024-01-04 09:35:00", "2024-01-05 10:00:00"])
      const front = await sdk.getBars("000001.SZ", "5m", "2024-01-02", "2024-01-04", { adjust: "front" })
      expect(round(front.close)).toEqual([5, 5, 5])
    } finally {
      await sdk.close()
      await Effect.runPromise(onServer(`DROP DATABASE IF EXISTS ${database}`))
    }
  })
})
