/**
 * A day's final 1m bars from the JetStream log: read from the day's 09:00 (Shanghai) on, until the log's last
 * message when the read began or the first bar of a later day. The log is in publish order and a live day's
 * bars and revisions are all published before the next day's first bar, so that bar ends the day.
 */
import { Effect } from "effect"
import { type LogMessageView, readLogRange } from "../adapters/nats/log-range-reader.ts"
import { NatsClient, natsCall } from "../adapters/nats/nats-client.ts"
import { barSubject } from "../domain/market-event.ts"
import { parseShanghai } from "../domain/market-time.ts"
import { slotOfFrame } from "../domain/session-grid.ts"
import type { SymbolCode } from "../domain/symbol.ts"
import { DayBook } from "./day-book.ts"

export interface DayReadOptions {
  /** `YYYY-MM-DD`, a Shanghai trading day. */
  readonly day: string
  /** Empty: every symbol. */
  readonly symbols: ReadonlyArray<SymbolCode>
  readonly onProgress?: (done: number, total: number) => void
}

export interface DayRead {
  readonly book: DayBook
  /** Messages left out: malformed, or off the 240-minute grid. */
  readonly skipped: number
}

export const dayOpenMs = (day: string): number => parseShanghai(day) + 9 * 3_600_000

/** Whether the log still holds all of `day`: its oldest message was published before the day's session. */
export const logCoversDay = (state: { readonly messages: number; readonly first_ts: string }, day: string) =>
  state.messages > 0 && Date.parse(state.first_ts) <= dayOpenMs(day)

export type LogBarOutcome = "taken" | "earlier" | "later" | "bad"

const decoder = new TextDecoder()
const isAmount = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0

const parse = (data: Uint8Array): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(decoder.decode(data)) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/**
 * Puts one log message into the book. The relay checked each bar against the full schema before it was
 * published, so this checks only what the book relies on (types, finite numbers, the minute grid): fast
 * enough for a day of the whole market.
 */
export const putLogBar = (book: DayBook, data: Uint8Array): LogBarOutcome => {
  const b = parse(data)
  if (b === undefined || typeof b.symbol !== "string" || typeof b.frame !== "string" || b.period !== "1m")
    return "bad"
  const day = b.frame.slice(0, 10)
  if (day < book.day) return "earlier"
  if (day > book.day) return "later"
  const { open, high, low, close, vol, amount, rev } = b
  const slot = slotOfFrame(b.frame)
  if (slot < 0 || !isAmount(open) || !isAmount(high) || !isAmount(low) || !isAmount(close)) return "bad"
  if (!isAmount(vol) || !isAmount(amount) || !Number.isInteger(rev) || (rev as number) < 0) return "bad"
  book.put(b.symbol, slot, open, high, low, close, vol, amount, rev as number)
  return "taken"
}

export const readDayFromLog = Effect.fn("readDayFromLog")(function* (o: DayReadOptions) {
  const { nc, jsm, stream } = yield* NatsClient
  const info = yield* natsCall("stream info", () => jsm.streams.info(stream))
  const subjects = o.symbols.map((symbol) => barSubject({ symbol, period: "1m" }))
  // One symbol is filtered by the server; several are filtered here, before parsing (2.9: one filter subject).
  const wanted = subjects.length > 1 ? new Set(subjects) : undefined
  const book = new DayBook(o.day)
  let skipped = 0
  const onMessage = (m: LogMessageView): boolean => {
    if (wanted !== undefined && !wanted.has(m.subject)) return true
    const outcome = putLogBar(book, m.data)
    if (outcome === "bad") skipped++
    return outcome !== "later"
  }
  const range = {
    stream,
    filterSubject: subjects.length === 1 ? subjects[0]! : "bars.1m.>",
    start: { time: new Date(dayOpenMs(o.day)) },
    untilSeq: info.state.last_seq,
  }
  yield* natsCall("read the day", () =>
    readLogRange(nc, jsm, range, {
      onMessage,
      ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    }),
  )
  return { book, skipped } satisfies DayRead
})
