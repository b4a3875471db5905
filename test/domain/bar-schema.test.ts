import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { BarClosed } from "../../src/domain/bar.ts"
import { InstrumentReference } from "../../src/domain/instrument-reference.ts"

const bar = (frame: string, period = "1m") => ({
  symbol: "000001.SZ",
  period,
  frame,
  open: 10,
  high: 10.2,
  low: 9.9,
  close: 10.1,
  vol: 100,
  amount: 1010,
  rev: 0,
})
const reason = (input: unknown, schema: Schema.Codec<unknown, unknown> = BarClosed as never) => {
  const r = Schema.decodeUnknownResult(schema)(input)
  return Result.isSuccess(r) ? "accepted" : r.failure.message.split("\n")[0]
}

describe("a bar on the log", () => {
  it("is accepted when its frame is a session minute of a real day", () => {
    expect(reason(bar("2024-01-02 09:31:00"))).toBe("accepted")
    expect(reason(bar("2024-01-02 15:00:00"))).toBe("accepted")
  })

  it("is refused with a reason when its frame is no real time, far in the future, or off the session grid", () => {
    expect(reason(bar("9999-99-99 99:99:99"))).toMatch(/real date/)
    expect(reason(bar("2999-01-01 09:31:00"))).toMatch(/between 2000 and 2099/)
    expect(reason(bar("2024-02-30 09:31:00"))).toMatch(/real date/)
    expect(reason(bar("2024-01-02 12:00:00"))).toMatch(/session minute/)
    expect(reason(bar("2024-01-02 13:00:00"))).toMatch(/session minute/)
  })

  it("of a longer period ends on that period's grid", () => {
    expect(reason(bar("2024-01-02 10:30:00", "30m"))).toBe("accepted")
    expect(reason(bar("2024-01-02 10:35:00", "30m"))).toMatch(/grid/)
    expect(reason(bar("2024-01-02", "1d"))).toBe("accepted")
    expect(reason(bar("2024-01-02 15:00:00", "1d"))).toMatch(/YYYY-MM-DD/)
  })

  it("is refused when its rev is beyond what a bucket's rev can sum to in storage (ClickHouse would wrap it)", () => {
    expect(reason({ ...bar("2024-01-02 09:31:00"), rev: 1_000_000 })).toBe("accepted")
    expect(reason({ ...bar("2024-01-02 09:31:00"), rev: 1_000_001 })).toMatch(/1000000/)
    expect(reason({ ...bar("2024-01-02 09:31:00"), rev: 2 ** 32 })).toMatch(/1000000/)
  })

  it("is refused when its prices are out of order", () => {
    expect(reason({ ...bar("2024-01-02 09:31:00"), high: 9 })).toMatch(/low <= open, close <= high/)
  })
})

describe("reference data", () => {
  const ref = {
    symbol: "000001.SZ",
    name: "平安银行",
    preClose: 10,
    limitUp: 11,
    limitDown: 9,
    st: false,
    adjust: 1,
  }
  it("is refused for a day that is no real date between 2000 and 2099", () => {
    expect(reason({ ...ref, day: "2024-03-05" }, InstrumentReference as never)).toBe("accepted")
    expect(reason({ ...ref, day: "2999-12-31" }, InstrumentReference as never)).toMatch(
      /real date between 2000 and 2099/,
    )
    expect(reason({ ...ref, day: "2024-13-01" }, InstrumentReference as never)).toMatch(/real date/)
  })
})
