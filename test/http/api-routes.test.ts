import { AckPolicy, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiFixture, startApiFixture } from "./api-fixture.ts"

// biome-ignore lint/suspicious/noExplicitAny: bodies of several shapes; the assertions check them
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })

/** Reads SSE events from a response body until `until` says stop; then cancels the stream (a disconnect). */
const readEvents = async (
  res: Response,
  until: (events: Array<{ event: string; data: string }>) => boolean,
) => {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const events: Array<{ event: string; data: string }> = []
  let buffer = ""
  while (!until(events)) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end = buffer.indexOf("\n\n")
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const field = (k: string) =>
        block
          .split("\n")
          .find((l) => l.startsWith(`${k}:`))
          ?.slice(k.length + 1)
          .trim() ?? ""
      events.push({ event: field("event"), data: field("data") })
      end = buffer.indexOf("\n\n")
    }
  }
  await reader.cancel()
  return events
}

describe("the API's endpoints over the seeded market", () => {
  let f: ApiFixture
  beforeAll(async () => {
    f = await startApiFixture()
  })
  afterAll(() => f?.stop())

  it("/api/overview: the watch list with last price, change and day volume; nulls where no bar came", async () => {
    const { status, body } = await json(await f.app().request("/api/overview"))
    expect(status).toBe(200)
    expect(body.rows.map((r: { symbol: string }) => r.symbol)).toEqual([
      "000001.SZ",
      "600519.SH",
      "300750.SZ",
      "000002.SZ",
    ])
    expect(body.rows[0]).toMatchObject({
      name: "平安银行",
      frame: "2018-01-15 15:00:00",
      last: f.seeded.pingan.at(-1)!.close,
    })
    expect(body.rows[0].changePct).toEqual(expect.any(Number))
    expect(body.rows[2]).toMatchObject({ symbol: "300750.SZ", name: "宁德时代", last: null, dayVol: null })
    expect(body.rows[3]).toMatchObject({ symbol: "000002.SZ", name: null, last: null })
  })

  it("/api/symbols: by code prefix, by part of the name, best first; limit and q are validated", async () => {
    const app = f.app()
    expect((await json(await app.request("/api/symbols?q=0000"))).body.symbols).toEqual([
      { symbol: "000001.SZ", name: "平安银行" },
    ])
    expect(
      (await json(await app.request(`/api/symbols?q=${encodeURIComponent("茅台")}`))).body.symbols,
    ).toEqual([{ symbol: "600519.SH", name: "贵州茅台" }])
    expect((await json(await app.request("/api/symbols?q=300750.sz"))).body.symbols[0].symbol).toBe(
      "300750.SZ",
    )
    expect((await json(await app.request("/api/symbols"))).body.symbols).toHaveLength(3)
    expect((await json(await app.request("/api/symbols?q=zzz"))).body.symbols).toEqual([])
    for (const [query, param] of [
      ["limit=0", "limit"],
      ["limit=x", "limit"],
      [`q=${"9".repeat(41)}`, "q"],
    ]) {
      const { status, body } = await json(await app.request(`/api/symbols?${query}`))
      expect([status, body.error.param]).toEqual([400, param])
    }
  })

  it("/api/bars: an unknown symbol is a 404, a malformed one a 400 naming `symbol`, a known one its bars", async () => {
    const app = f.app()
    const unknown = await json(await app.request("/api/bars?symbol=999999.SZ"))
    expect([unknown.status, unknown.body.error.code, unknown.body.error.param]).toEqual([
      404,
      "unknown_symbol",
      "symbol",
    ])
    const bad = await json(await app.request("/api/bars?symbol=0001.SZ"))
    expect([bad.status, bad.body.error.param]).toEqual([400, "symbol"])
    const ok = await json(
      await app.request("/api/bars?symbol=000001.SZ&period=30m&start=2018-01-15&end=2018-01-15"),
    )
    expect(ok.status).toBe(200)
    expect(ok.body.bars).toHaveLength(8)
  })

  it("/api/stream: the quote now, then each new bar as the log delivers it, heartbeats, and unsubscribes on disconnect", async () => {
    const res = await f.app({ heartbeatMs: 200 }).request("/api/stream?symbols=600519.SH")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/event-stream")
    const last = f.seeded.moutai.at(-1)!
    const next = {
      ...last,
      frame: "2018-01-08 09:31:00",
      open: 700,
      high: 701,
      low: 699,
      close: 700.5,
      vol: 321,
    }
    const seen = readEvents(
      res,
      (events) =>
        events.some((e) => e.event === "bar" && e.data.includes("2018-01-08")) &&
        events.some((e) => e.event === "ping"),
    )
    await new Promise((r) => setTimeout(r, 100))
    await f.publish([next])
    const events = await seen
    const bars = events.filter((e) => e.event === "bar").map((e) => JSON.parse(e.data))
    expect(bars[0]).toMatchObject({ symbol: "600519.SH", frame: last.frame })
    expect(bars.at(-1)).toMatchObject({
      symbol: "600519.SH",
      frame: "2018-01-08 09:31:00",
      close: 700.5,
      dayVol: 321,
    })
    await new Promise((r) => setTimeout(r, 100))
    expect(f.parts.live.view.listeners()).toBe(0)
  })

  it("/api/stream validates like /api/latest: 400 for a bad list, 404 when no symbol is known", async () => {
    const app = f.app()
    const bad = await json(await app.request("/api/stream?symbols=nope"))
    expect([bad.status, bad.body.error.param]).toEqual([400, "symbols"])
    const unknown = await json(await app.request("/api/stream?symbols=999999.SZ"))
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "unknown_symbol"])
  })

  it("/api/openapi.json describes every endpoint", async () => {
    const { status, body } = await json(await f.app().request("/api/openapi.json"))
    expect(status).toBe(200)
    expect(body.openapi).toBe("3.1.0")
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        "/api/bars",
        "/api/clients",
        "/api/latest",
        "/api/overview",
        "/api/stream",
        "/api/symbols",
        "/health",
        "/metrics",
      ].sort(),
    )
  })

  it("/metrics: counters plus events/s per stage, the projection's pending messages and the Redis stream length", async () => {
    const res = await f.app().request("/metrics")
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).toMatch(/^minutebar_events_total\{stage="projection"\} \d+/m)
    expect(text).toMatch(/^minutebar_events_per_second\{stage="projection"\} \d+/m)
    expect(text).toMatch(/^minutebar_consumer_pending\{consumer="projection"\} 0$/m)
    expect(text).toMatch(/^minutebar_consumer_ack_pending\{consumer="projection"\} \d+$/m)
    expect(text).toMatch(/^minutebar_redis_stream_length\{stream="minutebar:events"\} 0$/m)
    expect(text).toMatch(/^minutebar_newest_bar_lag_seconds \d+/m)
    expect(text).toContain("# TYPE minutebar_events_per_second gauge")
  })

  it("/metrics: the backlog of every projection consumer, per exchange too, and of no other", async () => {
    const nc = await connect({ servers: f.servers.natsUrl })
    const jsm = await jetstreamManager(nc)
    for (const [durable, filter] of [
      ["projection-SH", "bars.1m.SH.>"],
      ["client-research", "bars.1m.>"],
    ] as const)
      await jsm.consumers.add("MARKET", {
        durable_name: durable,
        filter_subject: filter,
        ack_policy: AckPolicy.Explicit,
      })
    const text = await (await f.app().request("/metrics")).text()
    await nc.close()
    expect(text).toMatch(/^minutebar_consumer_pending\{consumer="projection-SH"\} \d+$/m)
    expect(text).toMatch(/^minutebar_consumer_pending\{consumer="projection"\} 0$/m)
    expect(text).not.toContain('consumer="client-research"')
  })

  it("no malformed request yields a 5xx or a stack trace", async () => {
    const app = f.app()
    const queries = [
      "/api/bars?symbol=%ff",
      "/api/bars?symbol=000001.SZ&period=1m&start=2018-13-45",
      "/api/bars?symbol=000001.SZ&start=2018-01-15&end=2018-01-02",
      "/api/bars?symbol=000001.SZ&limit=-1",
      "/api/bars?symbol=000001.SZ&adjust=sideways",
      "/api/latest?symbols=%E0%A4%A",
      "/api/latest?symbols=,,,",
      "/api/symbols?q=%00%01",
      "/api/symbols?q=' OR 1=1 --",
      "/api/stream?symbols[]=1",
      "/api/nothing",
    ]
    for (const q of queries) {
      const res = await app.request(q)
      const text = await res.text()
      expect(res.status, q).toBeLessThan(500)
      expect(text, q).not.toMatch(/\bat .*\.ts:\d+/)
    }
  })
})
