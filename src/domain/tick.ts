/** A QMT whole-quote tick: a snapshot of one symbol whose `volume` (lots), `pvolume` (shares) and `amount` are cumulative for the day. */
import { Schema } from "effect"
import { SymbolCode } from "./symbol.ts"

const NonNegative = Schema.Finite.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "must be a finite number >= 0" })),
)

// 2000-01-01 .. 2100-01-01: anything outside is a unit mistake (seconds vs ms) or garbage.
const EpochMs = Schema.Int.pipe(
  Schema.check(
    Schema.isBetween(
      { minimum: 946_684_800_000, maximum: 4_102_444_800_000 },
      { message: "time must be epoch milliseconds between 2000 and 2100" },
    ),
  ),
)

export const Tick = Schema.Struct({
  symbol: SymbolCode,
  time: EpochMs,
  lastPrice: NonNegative,
  open: NonNegative,
  high: NonNegative,
  low: NonNegative,
  lastClose: NonNegative,
  amount: NonNegative,
  volume: NonNegative,
  pvolume: Schema.optionalKey(NonNegative),
})
export type Tick = typeof Tick.Type

/** Cumulative shares of the day: `pvolume` when QMT sent it, else lots x 100. */
export const cumulativeShares = (tick: Tick): number => tick.pvolume ?? tick.volume * 100
