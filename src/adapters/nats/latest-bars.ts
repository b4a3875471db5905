/**
 * The latest 1m bar of every symbol at once, for a screen that joins late: the last message of each
 * `bars.1m.<EX>.<code>` subject, read with DeliverPolicy.LastPerSubject (nats-server 2.9 has it; a batch
 * direct get needs 2.11). One read is ~5,000 messages for the whole market, ~0.1 s.
 *
 * "Latest" is the last published: a revision of an earlier minute published after the next minute's bar
 * would show that earlier minute; bars are revised within seconds of their close, before the next one.
 */
import { Effect, Result, Schema } from "effect"
import { BarClosed } from "../../domain/bar.ts"
import { barSubject } from "../../domain/market-event.ts"
import type { SymbolCode } from "../../domain/symbol.ts"
import { readLogRange } from "./log-range-reader.ts"
import { NatsClient, natsCall } from "./nats-client.ts"

const decodeBar = Schema.decodeUnknownResult(Schema.fromJsonString(BarClosed))
const decoder = new TextDecoder()

/** Latest bars of `symbols` (all symbols when omitted or empty), sorted by symbol; undecodable ones are left out. */
export const readLatestBars = Effect.fn("readLatestBars")(function* (
  symbols: ReadonlyArray<SymbolCode> = [],
) {
  const { nc, jsm, stream } = yield* NatsClient
  const subjects = symbols.map((symbol) => barSubject({ symbol, period: "1m" }))
  const wanted = subjects.length > 1 ? new Set(subjects) : undefined
  const latest = new Map<string, BarClosed>()
  yield* natsCall("latest bars", () =>
    readLogRange(
      nc,
      jsm,
      {
        stream,
        filterSubject: subjects.length === 1 ? subjects[0]! : "bars.1m.>",
        start: { lastPerSubject: true },
      },
      {
        onMessage: (m) => {
          if (wanted !== undefined && !wanted.has(m.subject)) return true
          const bar = decodeBar(decoder.decode(m.data))
          if (Result.isSuccess(bar)) latest.set(bar.success.symbol, bar.success)
          return true
        },
      },
    ),
  )
  return [...latest.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
})
