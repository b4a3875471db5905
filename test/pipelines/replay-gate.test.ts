import { describe, expect, it } from "vitest"
import type { SymbolCode } from "../../src/domain/symbol.ts"
import type { Tick } from "../../src/domain/tick.ts"
import { ReplayGate } from "../../src/pipelines/replay-gate.ts"

const tick = (time: number, pvolume: number): Tick => ({
  symbol: "600519.SH" as SymbolCode,
  time,
  lastPrice: 1,
  open: 1,
  high: 1,
  low: 1,
  lastClose: 1,
  amount: pvolume,
  volume: pvolume / 100,
  pvolume,
})

describe("the replay gate", () => {
  it("skips what was applied before a restart: older ticks, and the same tick again", () => {
    const gate = new ReplayGate()
    gate.accepted(tick(2_000, 500))
    expect(gate.isReplay(tick(1_000, 300))).toBe(true)
    expect(gate.isReplay(tick(2_000, 500))).toBe(true)
  })

  it("lets through anything newer, even falling volume, which the builder then rejects as bad", () => {
    const gate = new ReplayGate()
    gate.accepted(tick(2_000, 500))
    expect(gate.isReplay(tick(3_000, 400))).toBe(false)
    expect(gate.isReplay(tick(2_000, 600))).toBe(false)
    expect(gate.isReplay({ ...tick(1_000, 1), symbol: "000001.SZ" as SymbolCode })).toBe(false)
  })

  it("survives a restart through its JSON", () => {
    const gate = new ReplayGate()
    gate.accepted(tick(2_000, 500))
    const again = new ReplayGate(JSON.parse(JSON.stringify(gate)))
    expect(again.isReplay(tick(2_000, 500))).toBe(true)
    expect(again.isReplay(tick(2_001, 500))).toBe(false)
  })
})
