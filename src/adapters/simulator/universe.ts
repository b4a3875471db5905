/**
 * The simulated market's listed instruments: a seeded, unique set of A-share codes in the real board mix, with
 * names, previous closes (2..300 yuan), ST flags and the daily price limits that follow from the board.
 */
import type { SymbolCode } from "../../domain/symbol.ts"
import { makeRng, type Rng } from "./prng.ts"

/** Reference data of one instrument, as the QMT bridge reads it from get_instrument_detail. */
export interface Instrument {
  readonly symbol: SymbolCode
  readonly name: string
  readonly preClose: number
  readonly limitUp: number
  readonly limitDown: number
  readonly st: boolean
}

/** Instruments as parallel arrays (index i is one symbol), prices in integer cents so limits are exact. */
export interface Universe {
  readonly size: number
  readonly symbols: ReadonlyArray<SymbolCode>
  readonly names: ReadonlyArray<string>
  /** The six-digit code as a number: the symbol's key for its random draws. */
  readonly codes: Int32Array
  /** Price-limit percentage of the board (10, 20, 30; 5 for ST on the main boards). */
  readonly limitPct: Int32Array
  readonly preCloseCents: Int32Array
  readonly limitUpCents: Int32Array
  readonly limitDownCents: Int32Array
  readonly st: Uint8Array
}

interface Board {
  readonly prefix: string
  readonly exchange: "SH" | "SZ" | "BJ"
  readonly weight: number
  readonly limitPct: number
  readonly medianPrice: number
}

// Weights follow the real listing counts; 300/301 split ChiNext because one prefix holds only 1,000 codes.
const BOARDS: ReadonlyArray<Board> = [
  { prefix: "600", exchange: "SH", weight: 0.18, limitPct: 10, medianPrice: 11 },
  { prefix: "601", exchange: "SH", weight: 0.06, limitPct: 10, medianPrice: 9 },
  { prefix: "603", exchange: "SH", weight: 0.12, limitPct: 10, medianPrice: 18 },
  { prefix: "688", exchange: "SH", weight: 0.11, limitPct: 20, medianPrice: 38 },
  { prefix: "000", exchange: "SZ", weight: 0.09, limitPct: 10, medianPrice: 10 },
  { prefix: "002", exchange: "SZ", weight: 0.18, limitPct: 10, medianPrice: 12 },
  { prefix: "300", exchange: "SZ", weight: 0.16, limitPct: 20, medianPrice: 22 },
  { prefix: "301", exchange: "SZ", weight: 0.04, limitPct: 20, medianPrice: 35 },
  { prefix: "43", exchange: "BJ", weight: 0.01, limitPct: 30, medianPrice: 8 },
  { prefix: "83", exchange: "BJ", weight: 0.03, limitPct: 30, medianPrice: 10 },
  { prefix: "87", exchange: "BJ", weight: 0.02, limitPct: 30, medianPrice: 12 },
]

const capacity = (b: Board): number => 10 ** (6 - b.prefix.length)
export const MAX_SYMBOLS = BOARDS.reduce((n, b) => n + capacity(b), 0)

// Salts keep the universe's draws apart from the per-step draws that share the seed.
const SALT_CODES = -1
const SALT_TRAITS = -2

/** Symbols per board by largest remainder, so even 5 symbols spread over boards; overflow spills to free boards. */
const allocate = (n: number): Array<number> => {
  const exact = BOARDS.map((b) => b.weight * n)
  const counts = exact.map((x, i) => Math.min(capacity(BOARDS[i]), Math.floor(x)))
  let rest = n - counts.reduce((s, c) => s + c, 0)
  const byRemainder = exact.map((_, i) => i).sort((a, b) => (exact[b] % 1) - (exact[a] % 1) || a - b)
  for (const i of byRemainder) {
    if (rest > 0 && counts[i] < capacity(BOARDS[i])) {
      counts[i]++
      rest--
    }
  }
  for (let i = 0; rest > 0; i++) {
    const add = Math.min(rest, capacity(BOARDS[i]) - counts[i])
    counts[i] += add
    rest -= add
  }
  return counts
}

/** `count` distinct suffixes of a board in increasing order (partial Fisher-Yates over all of its codes). */
const pickSuffixes = (rng: Rng, cap: number, count: number): Array<number> => {
  const all = new Int32Array(cap)
  for (let j = 0; j < cap; j++) all[j] = j
  for (let j = 0; j < count; j++) {
    const r = j + Math.floor(rng.unit() * (cap - j))
    const t = all[j]
    all[j] = all[r]
    all[r] = t
  }
  return Array.from(all.subarray(0, count)).sort((a, b) => a - b)
}

const HEADS = "华中国东南西北新金海天长光科达信通恒瑞安泰宏兴明康远鼎盛"
const TAILS = ["科技", "电子", "医药", "银行", "证券", "能源", "材料", "化工", "汽车", "电气", "股份", "控股"]
const TAILS2 = [
  "智能",
  "生物",
  "食品",
  "传媒",
  "地产",
  "环保",
  "机械",
  "软件",
  "钢铁",
  "电力",
  "建设",
  "航空",
]

const nameOf = (rng: Rng, st: boolean): string => {
  const pick = (s: string | ReadonlyArray<string>): string => s[Math.floor(rng.unit() * s.length)] ?? ""
  const base = pick(HEADS) + pick(HEADS) + pick(rng.unit() < 0.5 ? TAILS : TAILS2)
  return st ? (rng.unit() < 0.5 ? "ST" : "*ST") + base : base
}

/** Limit price in cents: previous close times (1 +- pct%), rounded half up to the cent as the exchanges do. */
export const limitCents = (preCloseCents: number, pct: number): number =>
  Math.floor((preCloseCents * (100 + pct) + 50) / 100)

/** The universe of `symbols` instruments for `seed`; the same inputs always give the same universe. */
export const makeUniverse = (options: { readonly seed: number; readonly symbols: number }): Universe => {
  const n = options.symbols
  if (!Number.isInteger(n) || n < 1 || n > MAX_SYMBOLS) {
    throw new RangeError(`symbols must be an integer in 1..${MAX_SYMBOLS}, got ${n}`)
  }
  const rng = makeRng()
  const counts = allocate(n)
  const symbols: Array<SymbolCode> = []
  const names: Array<string> = []
  const u: Universe = {
    size: n,
    symbols,
    names,
    codes: new Int32Array(n),
    limitPct: new Int32Array(n),
    preCloseCents: new Int32Array(n),
    limitUpCents: new Int32Array(n),
    limitDownCents: new Int32Array(n),
    st: new Uint8Array(n),
  }
  BOARDS.forEach((board, b) => {
    rng.reseed(options.seed, SALT_CODES, b)
    for (const suffix of pickSuffixes(rng, capacity(board), counts[b])) {
      const code = board.prefix + String(suffix).padStart(6 - board.prefix.length, "0")
      symbols.push(`${code}.${board.exchange}` as SymbolCode)
      names.push(fillInstrument(u, symbols.length - 1, board, Number(code), options.seed, rng))
    }
  })
  return u
}

/** Draws one instrument's traits from its own code (so a symbol looks the same in universes of any size); returns its name. */
const fillInstrument = (
  u: Universe,
  i: number,
  board: Board,
  code: number,
  seed: number,
  rng: Rng,
): string => {
  rng.reseed(seed, code, SALT_TRAITS)
  const st = board.exchange !== "BJ" && rng.unit() < 0.03
  const yuan = Math.min(300, Math.max(2, (st ? 4 : board.medianPrice) * Math.exp(0.8 * rng.normal())))
  const pct = st && board.limitPct === 10 ? 5 : board.limitPct
  const cents = Math.round(yuan * 100)
  u.codes[i] = code
  u.st[i] = st ? 1 : 0
  u.limitPct[i] = pct
  u.preCloseCents[i] = cents
  u.limitUpCents[i] = limitCents(cents, pct)
  u.limitDownCents[i] = limitCents(cents, -pct)
  return nameOf(rng, st)
}

/** The universe as plain reference-data objects. */
export const instrumentsOf = (u: Universe): Array<Instrument> =>
  u.symbols.map((symbol, i) => ({
    symbol,
    name: u.names[i],
    preClose: u.preCloseCents[i] / 100,
    limitUp: u.limitUpCents[i] / 100,
    limitDown: u.limitDownCents[i] / 100,
    st: u.st[i] === 1,
  }))
