import { Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import type { InstrumentReference } from "../../src/domain/instrument-reference.ts"
import { projectionConsumers, runProjection } from "../../src/pipelines/projection.ts"
import { consumerState, waitDrained } from "../support/consumer-drained.ts"
import { referenceMessage } from "../support/log-messages.ts"
import { type makeTestRuntime, testSystem } from "../support/runtime.ts"
import { BAR_TABLES, comparable, projectionFixture, tableBars } from "./projection-fixture.ts"

const ref = {
  symbol: "600000.SH",
  day: "2018-01-03",
  name: "浦发银行",
  preClose: 10.4,
  limitUp: 11.44,
  limitDown: 9.36,
  st: false,
  adjust: 1.25,
} as InstrumentReference
const refMessage = referenceMessage(ref)
const OPTIONS = { durable: "projection", batchSize: 400, flushMs: 50 }
const EVERY_EXCHANGE = projectionConsumers({ durable: "projection", exchanges: ["SH", "SZ", "BJ"] })

/** An SH projection and an SZ,BJ one side by side, until every durable of theirs has acked the whole log. */
const projectByExchange = async ({ runtime, servers }: ReturnType<typeof testSystem>) => {
  const sh = runtime.runFork(runProjection({ ...OPTIONS, exchanges: ["SH"] }))
  const rest = runtime.runFork(runProjection({ ...OPTIONS, exchanges: ["SZ", "BJ"] }))
  for (const { durable } of EVERY_EXCHANGE) await waitDrained(servers.natsUrl, durable)
  await runtime.runPromise(Fiber.interruptAll([sh, rest]))
}

const expectTablesOf = async (
  runtime: ReturnType<typeof makeTestRuntime>,
  fixture: ReturnType<typeof projectionFixture>,
) => {
  for (const [period, table] of BAR_TABLES)
    expect(comparable(await runtime.runPromise(tableBars(table))), table).toEqual(
      comparable(fixture.expected(period)),
    )
  const daily = await runtime.runPromise(
    ClickHouse.use((ch) =>
      ch.query<{ frame: string; adjust: number; limit_up: number | null; ref_computed: boolean }>(
        "SELECT toString(frame) AS frame, adjust, limit_up, ref_computed FROM bars_1d FINAL WHERE symbol = '600000.SH' ORDER BY frame",
      ),
    ),
  )
  // The SH projection's reference data met the SH bars of its day, whichever of the two came first.
  expect(daily[1]).toMatchObject({ frame: "2018-01-03", adjust: 1.25, limit_up: 11.44, ref_computed: false })
  expect(daily[0]).toMatchObject({ frame: "2018-01-02", adjust: 1, ref_computed: true })
}

describe("projections per exchange: processes on disjoint exchanges share the work and the tables", () => {
  const fixture = projectionFixture()
  const system = testSystem()

  it("take two durables an exchange, one for its 1m bars and one for its reference data", () => {
    expect(projectionConsumers({ durable: "projection", exchanges: ["SH"] })).toEqual([
      { durable: "projection-SH", filterSubject: "bars.1m.SH.>", continueFrom: "projection" },
      { durable: "projection-SH-ref", filterSubject: "ref.SH.>", continueFrom: "projection" },
    ])
    expect(projectionConsumers({ durable: "projection", exchanges: [] })).toEqual([{ durable: "projection" }])
  })

  it("an SH projection and an SZ,BJ projection write every table as one projection of the whole market does", async () => {
    const { runtime, servers } = system
    await runtime.runPromise(MarketLog.use((log) => log.publish([...fixture.publications, refMessage])))
    await projectByExchange(system)
    // The whole market's durable was never made: nothing read the log twice.
    expect(await consumerState(servers.natsUrl, "projection")).toBeUndefined()
    await expectTablesOf(runtime, fixture)
  })
})

describe("projections per exchange taking over from a projection of the whole market", () => {
  const fixture = projectionFixture()
  const system = testSystem()

  it("go on from where it acked, reading nothing it already wrote, and leave the same tables", async () => {
    const { runtime, servers } = system
    const half = Math.floor(fixture.publications.length / 2)
    const before = fixture.publications.slice(0, half)
    const after = [...fixture.publications.slice(half), refMessage]
    await runtime.runPromise(MarketLog.use((log) => log.publish(before)))
    const whole = runtime.runFork(runProjection(OPTIONS))
    await waitDrained(servers.natsUrl, "projection")
    await runtime.runPromise(Fiber.interrupt(whole))

    await runtime.runPromise(MarketLog.use((log) => log.publish(after)))
    await projectByExchange(system)
    let delivered = 0
    for (const { durable } of EVERY_EXCHANGE)
      delivered += (await consumerState(servers.natsUrl, durable))?.delivered ?? 0
    expect(delivered).toBe(after.length)
    await expectTablesOf(runtime, fixture)
  })
})
