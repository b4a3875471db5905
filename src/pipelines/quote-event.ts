/** What a quote source feeds the bar builder: tick batches as QMT delivers them, and the exchange clock. */
import type { Tick } from "../domain/tick.ts"

export type QuoteEvent =
  | { readonly _tag: "Ticks"; readonly ticks: ReadonlyArray<Tick> }
  /** The exchange clock reads `marketMs`: bars whose end + grace has passed close now. */
  | { readonly _tag: "Clock"; readonly marketMs: number }
  /** The source has no more ticks for the day: close everything. */
  | { readonly _tag: "EndOfDay" }
