/** Bars and reference data as messages of the log, under the subjects and ids the relay gives them. */
import type { BarClosed } from "../../src/domain/bar.ts"
import type { InstrumentReference } from "../../src/domain/instrument-reference.ts"
import {
  barMessageId,
  barSubject,
  referenceMessageId,
  referenceSubject,
} from "../../src/domain/market-event.ts"

const encoder = new TextEncoder()

export const barMessage = (b: BarClosed) => ({
  subject: barSubject(b),
  id: barMessageId(b),
  data: encoder.encode(JSON.stringify(b)),
})

export const referenceMessage = (r: InstrumentReference) => ({
  subject: referenceSubject(r),
  id: referenceMessageId(r),
  data: encoder.encode(JSON.stringify(r)),
})
