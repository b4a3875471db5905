/** The simulated universe's reference data for a day, as QMT's get_instrument_detail would give it. */
import type { InstrumentReference } from "../../domain/instrument-reference.ts"
import { makeMarketSimulator } from "./market-simulator.ts"

export const simulatedReferences = (o: {
  seed: number
  day: string
  symbols?: number
}): InstrumentReference[] =>
  makeMarketSimulator(o)
    .instruments()
    .map((i) => ({
      symbol: i.symbol,
      day: o.day,
      name: i.name,
      preClose: i.preClose,
      limitUp: i.limitUp,
      limitDown: i.limitDown,
      st: i.st,
      adjust: 1,
    }))
