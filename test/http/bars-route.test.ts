import { rmSync } from "node:fs"
import { join } from "node:path"
import { ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApp } from "../../src/http/app.ts"
import { A, insertFixture, queriesLayer } from "../adapters/clickhouse/bar-queries-fixture.ts"
import { tempDir } from "../support/servers.ts"

describe("GET /api/bars on BarQueries (chDB)", () => {
  const dir = tempDir("bars-route")
  const runtime = ManagedRuntime.make(queriesLayer({ _tag: "Embedded", path: join(dir, "clickhouse") }))
  let app: ReturnType<typeof makeApp>
  beforeAll(async () => {
    await runtime.runPromise(insertFixture)
    app = makeApp({ run: (effect) => runtime.runPromise(effect), probes: [] })
  })
  afterAll(async () => {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  })
  const get = async (query: string) => {
    const res = await app.request(`/api/bars?${query}`)
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  it("daily bars, front-adjusted across the bonus issue, keep the response shape", async () => {
    const { status, body } = await get(`symbol=${A}&period=1d&start=2024-01-03&end=2024-01-04&adjust=front`)
    expect(status).toBe(200)
    expect(body).toEqual({
      symbol: A,
      period: "1d",
      bars: [
        { frame: "2024-01-03", open: 5, high: 5.05, low: 4.95, close: 5, vol: 100, amount: 1000 },
        { frame: "2024-01-04", open: 5, high: 5.1, low: 4.9, close: 5, vol: 100, amount: 500 },
      ],
    })
  })

  it("without a start, the newest `limit` bars, oldest first", async () => {
    const { body } = await get(`symbol=${A}&period=1m&limit=2`)
    expect((body.bars as { frame: string }[]).map((b) => b.frame)).toEqual([
      "2024-01-04 09:34:00",
      "2024-01-04 09:35:00",
    ])
  })

  it("a bad parameter is a 400 naming it", async () => {
    for (const [query, param] of [
      [`symbol=${A}&adjust=sideways`, "adjust"],
      [`symbol=${A}&limit=0`, "limit"],
      [`symbol=${A}&start=2024-01-04&end=2024-01-02`, "start"],
      [`symbol=${A}&period=60m`, "period"],
    ] as const) {
      const { status, body } = await get(query)
      expect(status, query).toBe(400)
      expect(body, query).toMatchObject({ error: { code: "bad_parameter", param } })
    }
  })
})
