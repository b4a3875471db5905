/**
 * `GET /api/stream?symbols=`: Server-Sent Events of the symbols' quotes, first as they are now, then each new
 * or revised bar as the log delivers it (`event: bar`), with `event: ping` heartbeats so proxies keep the
 * connection; a closed connection ends its subscription.
 */
import { Effect, Result, Schema, Stream } from "effect"
import { Hono } from "hono"
import { type SSEStreamingApi, streamSSE } from "hono/streaming"
import { decodeQuery, errorResponse } from "../api-error.ts"
import type { QuoteChange } from "../latest-bars.ts"
import { isKnown, type LiveApi, unknownSymbol } from "../live-api.ts"
import { SymbolList, splitSymbols } from "../query-params.ts"

const StreamQuery = Schema.Struct({ symbols: SymbolList })

type Event = { readonly event: "bar" | "ping"; readonly data: string }

/** Subscribes before sending the snapshot, so no change falls between the two (one may come twice). */
const events = (api: LiveApi, symbols: ReadonlyArray<string>, heartbeatMs: number) =>
  Effect.map(api.view.subscribe, (changes) => {
    const wanted = new Set(symbols)
    const snapshot = symbols.flatMap((s) => {
      const q = api.view.quote(s)
      return q === undefined ? [] : [{ event: "bar" as const, data: JSON.stringify(q) }]
    })
    const live = changes.pipe(
      Stream.filter((c: QuoteChange) => wanted.has(c.quote.symbol)),
      Stream.map((c): Event => ({ event: "bar", data: c.json })),
    )
    const pings = Stream.tick(heartbeatMs).pipe(
      Stream.drop(1),
      Stream.map((): Event => ({ event: "ping", data: String(Date.now()) })),
    )
    return Stream.concat(Stream.fromIterable<Event>(snapshot), Stream.merge(live, pings))
  })

const pump = (api: LiveApi, symbols: ReadonlyArray<string>, sse: SSEStreamingApi) =>
  Effect.scoped(
    Effect.flatMap(events(api, symbols, api.heartbeatMs ?? 15_000), (stream) =>
      Stream.runForEach(stream, (e) => Effect.promise(() => sse.writeSSE(e))),
    ),
  )

export const streamRoute = (api: LiveApi) =>
  new Hono().get("/", (c) => {
    const q = decodeQuery(StreamQuery, c.req.query())
    if (Result.isFailure(q)) return errorResponse(c, q.failure)
    const symbols = splitSymbols(q.success.symbols)
    const known = symbols.filter((s) => isKnown(api, s))
    if (known.length === 0) return errorResponse(c, unknownSymbol(symbols, "symbols"))
    return streamSSE(c, async (sse) => {
      const closed = new AbortController()
      sse.onAbort(() => closed.abort())
      // Interrupting the pump on disconnect closes its scope, which ends the PubSub subscription.
      await Effect.runPromise(pump(api, known, sse), { signal: closed.signal }).catch(() => undefined)
    })
  })
