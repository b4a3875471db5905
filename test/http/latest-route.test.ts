import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiFixture, startApiFixture } from "./api-fixture.ts"

interface QuoteBody {
  quotes: Array<Record<string, number | string | null>>
  noBars: string[]
  unknown: string[]
}

describe("GET /api/latest answers from the in-memory view fed by the log", () => {
  let f: ApiFixture
  beforeAll(async () => {
    f = await startApiFixture()
  })
  afterAll(() => f?.stop())

  const get = async (query: string) => {
    const res = await f.app().request(`/api/latest${query}`)
    return { status: res.status, body: (await res.json()) as QuoteBody & { error?: Record<string, string> } }
  }

  it("a symbol's quote is its newest bar with the day's volume and the change against the day's previous close", async () => {
    const { status, body } = await get("?symbols=000001.SZ")
    expect(status).toBe(200)
    const last = f.seeded.pingan.at(-1)!
    const day = f.seeded.pingan.filter((b) => b.frame.startsWith("2018-01-15"))
    const preClose = f.seeded.pingan.filter((b) => b.frame.startsWith("2018-01-12")).at(-1)!.close
    const q = body.quotes[0]!
    expect(q).toMatchObject({
      symbol: "000001.SZ",
      name: "平安银行",
      frame: "2018-01-15 15:00:00",
      close: last.close,
    })
    expect(q.dayVol).toBeCloseTo(
      day.reduce((n, b) => n + b.vol, 0),
      0,
    )
    expect(q.preClose).toBe(preClose)
    expect(q.change).toBeCloseTo(last.close - preClose, 4)
    expect(q.changePct).toBeCloseTo(((last.close - preClose) / preClose) * 100, 2)
  })

  it("several symbols at once; known symbols without bars and unknown ones are listed apart", async () => {
    const { status, body } = await get("?symbols=000001.SZ,600519.SH,300750.SZ,999999.SZ")
    expect(status).toBe(200)
    expect(body.quotes.map((q) => q.symbol)).toEqual(["000001.SZ", "600519.SH"])
    expect(body.quotes[1]!.frame).toBe("2018-01-05 15:00:00")
    expect(body.noBars).toEqual(["300750.SZ"])
    expect(body.unknown).toEqual(["999999.SZ"])
  })

  it("only unknown symbols: 404 unknown_symbol naming the parameter", async () => {
    const { status, body } = await get("?symbols=999999.SZ,888888.SH")
    expect(status).toBe(404)
    expect(body.error).toMatchObject({ code: "unknown_symbol", param: "symbols" })
  })

  it.each([
    ["", "symbols"],
    ["?symbols=", "symbols"],
    ["?symbols=000001", "symbols"],
    ["?symbols=000001.SZ,<script>", "symbols"],
    [
      `?symbols=${Array.from({ length: 201 }, (_, i) => `${String(i).padStart(6, "0")}.SZ`).join(",")}`,
      "symbols",
    ],
  ])("a bad parameter (%s) is a 400 naming %s", async (query, param) => {
    const { status, body } = await get(query)
    expect(status).toBe(400)
    expect(body.error).toMatchObject({ code: "bad_parameter", param })
  })

  it("a revised bar replaces the newest one and corrects the day's volume by the difference", async () => {
    const last = f.seeded.pingan.at(-1)!
    const before = (await get("?symbols=000001.SZ")).body.quotes[0]!
    const revised = { ...last, vol: last.vol + 1_000, close: last.high, rev: 1 }
    await f.publish([revised])
    await f.seen(revised)
    const after = (await get("?symbols=000001.SZ")).body.quotes[0]!
    expect(after).toMatchObject({ rev: 1, close: last.high })
    expect((after.dayVol as number) - (before.dayVol as number)).toBeCloseTo(1_000, 3)
  })

  it("the first bar of a new day starts the day's volume and measures the change from the last close", async () => {
    const last = f.seeded.pingan.at(-1)!
    const next = { ...last, frame: "2018-01-16 09:31:00", vol: 500, rev: 0 }
    await f.publish([next])
    await f.seen(next)
    const q = (await get("?symbols=000001.SZ")).body.quotes[0]!
    // The view took the revised 15:00 close (test above) as the day's close: no reference data for the 16th.
    expect(q).toMatchObject({ frame: "2018-01-16 09:31:00", dayVol: 500, preClose: last.high })
  })
})
