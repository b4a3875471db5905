import { describe, expect, it } from "vitest"
import {
  instrumentsOf,
  limitCents,
  MAX_SYMBOLS,
  makeUniverse,
} from "../../../src/adapters/simulator/universe.ts"
import { isSymbolCode } from "../../../src/domain/symbol.ts"

const universe = makeUniverse({ seed: 7, symbols: 5_000 })
const instruments = instrumentsOf(universe)
const PREFIXES = ["600", "601", "603", "688", "000", "002", "300", "301", "43", "83", "87"]

describe("the simulated universe", () => {
  it("has 5,000 unique valid symbols by default", () => {
    expect(instruments).toHaveLength(5_000)
    expect(new Set(universe.symbols).size).toBe(5_000)
    expect(universe.symbols.every(isSymbolCode)).toBe(true)
  })

  it("mixes the boards of SH, SZ and BJ like the real market", () => {
    expect(universe.symbols.every((s) => PREFIXES.some((p) => s.startsWith(p)))).toBe(true)
    const share = (suffix: string) => universe.symbols.filter((s) => s.endsWith(suffix)).length / 5_000
    expect(share(".SH")).toBeCloseTo(0.47, 2)
    expect(share(".SZ")).toBeCloseTo(0.47, 2)
    expect(share(".BJ")).toBeCloseTo(0.06, 2)
    expect(universe.symbols.every((s) => s.endsWith(".BJ") === /^(43|83|87)/.test(s))).toBe(true)
  })

  it("has previous closes from 2 to 300 yuan in whole cents", () => {
    for (const i of instruments) {
      expect(i.preClose).toBeGreaterThanOrEqual(2)
      expect(i.preClose).toBeLessThanOrEqual(300)
      expect(Math.round(i.preClose * 100) / 100).toBe(i.preClose)
    }
  })

  it("sets limits of 10% on main boards, 20% on 300/301/688, 30% on BJ and 5% for main-board ST", () => {
    for (const i of instruments) {
      const pct = i.symbol.endsWith(".BJ") ? 30 : /^(300|301|688)/.test(i.symbol) ? 20 : i.st ? 5 : 10
      expect(i.limitUp, i.symbol).toBe(limitCents(Math.round(i.preClose * 100), pct) / 100)
      expect(i.limitDown, i.symbol).toBe(limitCents(Math.round(i.preClose * 100), -pct) / 100)
    }
  })

  it("rounds limit prices half up to the cent", () => {
    expect(limitCents(1005, 10)).toBe(1106) // 11.055 -> 11.06
    expect(limitCents(1005, -10)).toBe(905) // 9.045 -> 9.05
  })

  it("lists some ST names, each named with an ST prefix", () => {
    const st = instruments.filter((i) => i.st)
    expect(st.length).toBeGreaterThan(50)
    expect(st.every((i) => /^\*?ST/.test(i.name))).toBe(true)
    expect(instruments.filter((i) => !i.st).every((i) => !i.name.includes("ST"))).toBe(true)
  })

  it("is the same for the same seed and differs for another seed", () => {
    expect(instrumentsOf(makeUniverse({ seed: 7, symbols: 5_000 }))).toEqual(instruments)
    expect(makeUniverse({ seed: 8, symbols: 5_000 }).symbols).not.toEqual(universe.symbols)
  })

  it("spreads even a small universe over several boards", () => {
    const small = makeUniverse({ seed: 1, symbols: 8 }).symbols
    expect(new Set(small.map((s) => s.slice(0, 3))).size).toBeGreaterThanOrEqual(6)
  })

  it("refuses more symbols than the boards have codes", () => {
    expect(makeUniverse({ seed: 1, symbols: MAX_SYMBOLS }).size).toBe(MAX_SYMBOLS)
    expect(() => makeUniverse({ seed: 1, symbols: MAX_SYMBOLS + 1 })).toThrow(RangeError)
    expect(() => makeUniverse({ seed: 1, symbols: 0 })).toThrow(RangeError)
  })
})
