import { connect } from "@nats-io/transport-node"
import { Effect, Layer, Redacted, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import { NatsClient } from "../../src/adapters/nats/nats-client.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import { toBar } from "../../src/domain/bar-order.ts"
import { logCoversDay } from "../../src/pipelines/day-from-log.ts"
import {
  paceOffsetMs,
  type ReplayOptions,
  type ReplayProgress,
  replayBars,
} from "../../src/pipelines/replay-day.ts"
import { replayDay } from "../../src/sdk/replay-day.ts"
import { makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { minutebar } from "./client-fixture.ts"
import { projectAll } from "./projection-fixture.ts"
import { DAYS, replayFixture } from "./replay-fixture.ts"

const [DAY1, DAY2] = DAYS

describe("replay of a day: the log or ClickHouse give the same final bars in market order", () => {
  const fixture = replayFixture()
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  let clickhouse: Layer.Layer<ClickHouse>
  let nats: Layer.Layer<NatsClient, unknown>

  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    await projectAll(runtime, servers, fixture.publications)
    // The test's one chDB connection, lent to the replay (one chDB path per process).
    clickhouse = Layer.succeed(ClickHouse, await runtime.runPromise(ClickHouse.use(Effect.succeed)))
    nats = NatsClient.layer({ url: Redacted.make(servers.natsUrl), stream: "MARKET" })
  })
  afterAll(async () => {
    await runtime?.dispose()
    await servers?.stop()
  })

  const replay = (o: Partial<Omit<ReplayOptions, "symbols">> & { symbols?: string[] }) => {
    const progress: ReplayProgress[] = []
    const options = { day: DAY1, period: "1m", speed: "max", source: "log", ...o } as unknown as ReplayOptions
    const run = Stream.runCollect(replayBars({ ...options, clickhouse, onProgress: (p) => progress.push(p) }))
    return runtime
      .runPromise(run.pipe(Effect.provide(nats)))
      .then((bars) => ({ bars: [...bars], source: progress.find((p) => p.phase === "loaded")?.source }))
  }

  it("from the log: the day's last revision of every bar, frame by frame, symbols in order", async () => {
    const { bars } = await replay({ source: "log" })
    expect(bars).toEqual(fixture.dayBars(DAY1))
    expect(bars.some((b) => b.rev === 2)).toBe(true)
    const second = await replay({ day: DAY2, source: "log" })
    expect(second.bars).toEqual(fixture.dayBars(DAY2))
  })

  it("from ClickHouse: exactly what the log gives", async () => {
    for (const day of DAYS) {
      const [log, ch] = [await replay({ day, source: "log" }), await replay({ day, source: "clickhouse" })]
      expect(ch.bars).toEqual(log.bars)
      expect(ch.bars).toEqual(fixture.dayBars(day))
    }
  })

  it("5m and 30m are the domain's resample of the day's final 1m bars, in market order, from either source", async () => {
    for (const period of ["5m", "30m"] as const)
      for (const source of ["log", "clickhouse"] as const) {
        const { bars } = await replay({ period, source })
        expect(bars.map(toBar), `${period} from ${source}`).toEqual(fixture.resampled(DAY1, period))
        expect(new Set(bars.map((b) => b.period))).toEqual(new Set([period]))
      }
  })

  it("auto reads the log while it holds the whole day, else ClickHouse", async () => {
    // The log was written today, so 2018 is older than its first message.
    expect((await replay({ source: "auto" })).source).toBe("clickhouse")
    const state = { messages: 10, first_ts: "2018-01-02T00:59:00Z" }
    expect(logCoversDay(state, "2018-01-02")).toBe(true)
    expect(logCoversDay({ ...state, first_ts: "2018-01-02T01:31:00Z" }, "2018-01-02")).toBe(false)
    expect(logCoversDay({ ...state, messages: 0 }, "2018-01-03")).toBe(false)
  })

  it("symbols: one is filtered by the server, several by the reader; the sources agree", async () => {
    for (const symbols of [["300750.SZ"], ["430047.BJ", "000001.SZ"]] as const)
      for (const source of ["log", "clickhouse"] as const) {
        const { bars } = await replay({ symbols: [...symbols], source })
        expect(bars, `${symbols} from ${source}`).toEqual(fixture.dayBars(DAY1, symbols))
      }
  })

  it("a day nobody recorded replays nothing", async () => {
    expect((await replay({ day: "2018-01-06", source: "log" })).bars).toEqual([])
    expect((await replay({ day: "2018-01-06", source: "clickhouse" })).bars).toEqual([])
  })

  it("speed paces by trading minutes: the lunch break is skipped", async () => {
    expect(paceOffsetMs(119, 120, 60)).toBe(1_000)
    expect(paceOffsetMs(0, 239, 60)).toBe(239_000)
    const started = performance.now()
    const { bars } = await replay({ symbols: ["000001.SZ"], speed: 12_000 })
    const ms = performance.now() - started
    expect(bars).toHaveLength(240)
    // 239 market minutes after the first at 5 ms each.
    expect(ms).toBeGreaterThanOrEqual(1_190)
    expect(ms).toBeLessThan(5_000)
  })

  it("the SDK's replayDay and the CLI print the same bars as the pipeline", async () => {
    const sdk: BarClosed[] = []
    for await (const b of replayDay({ natsUrl: servers.natsUrl, date: DAY1, period: "30m", source: "log" }))
      sdk.push(b)
    expect(sdk.map(toBar)).toEqual(fixture.resampled(DAY1, "30m"))
    const cli = minutebar(["replay", "--date", DAY1, "--period", "30m", "--source", "log"], servers.natsUrl)
    expect(await cli.exited).toBe(0)
    expect(cli.lines.map((l) => JSON.parse(l))).toEqual(sdk)
    expect(cli.stderr()).toMatch(/reading 2018-01-02 .*\d+ bars of 4 symbols from the JetStream log/s)
    expect(cli.stderr()).toMatch(/replaying 2018-01-02 done: 32 30m bars in \d+ ms/)
  })

  it("--to-subject publishes each bar under PREFIX.<period>.<EX>.<code> with its message id, in market order", async () => {
    const nc = await connect({ servers: servers.natsUrl })
    const got: Array<{ subject: string; id: string | undefined; bar: BarClosed }> = []
    nc.subscribe("backtest.>", {
      callback: (_e, m) => {
        got.push({ subject: m.subject, id: m.headers?.get("Nats-Msg-Id"), bar: m.json() })
      },
    })
    await nc.flush()
    const args = ["replay", "--date", DAY2, "--period", "5m", "--source", "log", "--to-subject", "backtest"]
    const cli = minutebar(args, servers.natsUrl)
    expect(await cli.exited).toBe(0)
    expect(cli.lines).toEqual([])
    await nc.flush()
    const expected = fixture.resampled(DAY2, "5m")
    expect(got.map((g) => toBar(g.bar))).toEqual(expected)
    expect(got[0]!.subject).toBe("backtest.5m.SZ.000001")
    for (const g of got) expect(g.id).toBe(`${g.bar.symbol}:5m:${g.bar.frame}:${g.bar.rev}`)
    // A bucket's rev counts its minutes and their revisions, as the projection's 5m table version does.
    expect(got[0]!.bar.rev).toBeGreaterThanOrEqual(5)
    const refused = minutebar(["replay", "--date", DAY2, "--to-subject", "bars.copy"], servers.natsUrl)
    expect(await refused.exited).not.toBe(0)
    expect(refused.stderr()).toMatch(/must not start with bars or ref/)
    await nc.close()
  })
})
