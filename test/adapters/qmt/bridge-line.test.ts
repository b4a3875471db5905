import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { parseBridgeLine } from "../../../src/adapters/qmt/bridge-line.ts"

const tick = {
  type: "tick",
  symbol: "600519.SH",
  time: 1675215000000,
  lastPrice: 1850.5,
  open: 1854.98,
  high: 1855,
  low: 1846.05,
  lastClose: 1845.76,
  amount: 160482640,
  volume: 866,
  pvolume: 86600,
}
const reason = (line: string) =>
  Result.match(parseBridgeLine(line), { onSuccess: () => "", onFailure: (r) => r })

describe("bridge lines", () => {
  it("a tick line decodes to a Tick (the `type` key dropped)", () => {
    const { type: _, ...expected } = tick
    expect(parseBridgeLine(JSON.stringify(tick))).toEqual(Result.succeed({ _tag: "Tick", tick: expected }))
  })

  it("a bad tick says which field is wrong, in one line", () => {
    expect(reason(JSON.stringify({ ...tick, lastPrice: "1850.5" }))).toBe(
      'bad tick: Expected number at ["lastPrice"]',
    )
    expect(reason(JSON.stringify({ ...tick, volume: -1 }))).toMatch(/^bad tick: must be a finite number >= 0/)
    expect(reason(JSON.stringify({ ...tick, time: 1675215000 }))).toMatch(/time must be epoch milliseconds/)
    expect(reason(JSON.stringify({ ...tick, symbol: undefined }))).toBe('bad tick: Missing key at ["symbol"]')
  })

  it("NaN, which Python writes for a missing float, is named as such", () => {
    expect(reason(JSON.stringify(tick).replace("1850.5", "NaN"))).toBe(
      "not JSON: NaN or Infinity in a number field",
    )
    expect(reason('{"type":"tick",')).toMatch(/^not JSON \(/)
  })

  it("reference data maps QMT's names to InstrumentReference, ST read from the name", () => {
    const ref = {
      type: "ref",
      symbol: "600001.SH",
      day: "2024-03-05",
      InstrumentName: "*ST 某某",
      PreClose: 3.2,
      UpStopPrice: 3.36,
      DownStopPrice: 3.04,
      adjust: 1.5,
    }
    expect(parseBridgeLine(JSON.stringify(ref))).toEqual(
      Result.succeed({
        _tag: "Reference",
        reference: {
          symbol: "600001.SH",
          day: "2024-03-05",
          name: "*ST 某某",
          preClose: 3.2,
          limitUp: 3.36,
          limitDown: 3.04,
          st: true,
          adjust: 1.5,
        },
      }),
    )
    expect(reason(JSON.stringify({ ...ref, adjust: 0 }))).toMatch(/^bad reference data: must be > 0/)
  })

  it("heartbeats carry the bridge's clock, or null before it has one", () => {
    expect(parseBridgeLine('{"type":"heartbeat","time":1675215000000}')).toEqual(
      Result.succeed({ _tag: "Heartbeat", marketMs: 1675215000000 }),
    )
    expect(parseBridgeLine('{"type":"heartbeat","time":null}')).toEqual(
      Result.succeed({ _tag: "Heartbeat", marketMs: null }),
    )
  })

  it("an unknown line type is refused by name", () => {
    expect(reason('{"type":"quote"}')).toBe('unknown line type "quote"')
    expect(reason("[1,2]")).toBe("unknown line type null")
  })
})
