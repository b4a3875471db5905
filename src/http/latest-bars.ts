/**
 * The latest-bar view: every symbol's newest 1m bar, day volume and change, in memory, fed from the log (the
 * newest fact per subject at start, then live), so /api/latest and /api/stream never query ClickHouse.
 *
 * State: `live` (symbol -> SymbolLive, see symbol-live.ts), `refs` (symbol -> its newest reference data on
 * the log), `quotes` (symbol -> the quote of its current state, built at the first read after a change and
 * dropped at the next change), `newest` (the highest frame seen and when). Only the feed fiber writes; readers
 * see whole quotes. A change is encoded and published only while someone listens: during a catch-up
 * (thousands of bars a second) the feed then costs a map update per bar.
 */
import { Context, Effect, Layer, PubSub, Schedule, type Scope, Stream } from "effect"
import type { BarClosed } from "../domain/bar.ts"
import type { LogFact } from "../domain/market-event.ts"
import { LogTail } from "../pipelines/log-tail.ts"
import { type Quote, quoteOf, type RefHint } from "./quote.ts"
import { SymbolCatalog } from "./symbol-catalog.ts"
import { applyBar, firstSight, type SymbolLive } from "./symbol-live.ts"

/** A changed quote with its JSON, encoded once for every listener. */
export interface QuoteChange {
  readonly quote: Quote
  readonly json: string
}

export interface Newest {
  readonly frame: string
  /** Epoch ms when the view took it. */
  readonly at: number
}

// Listeners that fall this far behind lose their oldest changes instead of holding up the feed (5,000
// symbols close a bar within the same second).
const CHANGES_CAPACITY = 32_768

export class LatestBars extends Context.Service<
  LatestBars,
  {
    quote(symbol: string): Quote | undefined
    has(symbol: string): boolean
    /** Subscribes now: the stream holds every change from this moment on, for the life of the scope. */
    readonly subscribe: Effect.Effect<Stream.Stream<QuoteChange>, never, Scope.Scope>
    symbols(): Iterable<string>
    /** Subscriptions open now (one per /api/stream connection). */
    listeners(): number
    newest(): Newest | undefined
    size(): number
  }
>()("minutebar/http/LatestBars") {
  static readonly layer = Layer.effect(
    LatestBars,
    Effect.gen(function* () {
      const tail = yield* LogTail
      const catalog = yield* SymbolCatalog
      const pubsub = yield* PubSub.sliding<QuoteChange>(CHANGES_CAPACITY)
      yield* Effect.addFinalizer(() => PubSub.shutdown(pubsub))
      let listeners = 0
      const view = makeViewState(catalog, () => listeners > 0)
      // Re-reading the log after a failure replays the newest facts, which change nothing already applied.
      yield* Effect.forkScoped(
        tail.facts.pipe(
          // Whole chunks at a time: a catch-up brings hundreds of thousands of facts a minute.
          Stream.runForEachArray((facts) => {
            const changes: QuoteChange[] = []
            for (const fact of facts) {
              const change = view.apply(fact)
              if (change !== undefined) changes.push(change)
            }
            return changes.length === 0 ? Effect.void : PubSub.publishAll(pubsub, changes)
          }),
          Effect.retry(Schedule.spaced("1 second")),
        ),
      )
      return LatestBars.of({
        quote: view.quote,
        has: (symbol) => view.live.has(symbol),
        subscribe: Effect.acquireRelease(
          Effect.sync(() => listeners++),
          () => Effect.sync(() => listeners--),
        ).pipe(Effect.andThen(PubSub.subscribe(pubsub)), Effect.map(Stream.fromSubscription)),
        listeners: () => listeners,
        symbols: () => view.live.keys(),
        newest: view.newest,
        size: () => view.live.size,
      })
    }),
  )
}

const makeViewState = (catalog: SymbolCatalog["Service"], listened: () => boolean) => {
  const live = new Map<string, SymbolLive>()
  const refs = new Map<string, RefHint>()
  const quotes = new Map<string, Quote>()
  let newest: Newest | undefined

  const quote = (symbol: string): Quote | undefined => {
    const known = quotes.get(symbol)
    if (known !== undefined) return known
    const s = live.get(symbol)
    if (s === undefined) return undefined
    const entry = catalog.get(symbol)
    const fresh = quoteOf(symbol, s, refs.get(symbol) ?? entry?.ref, entry?.name ?? undefined)
    quotes.set(symbol, fresh)
    return fresh
  }

  const requote = (symbol: string): QuoteChange | undefined => {
    quotes.delete(symbol)
    if (!listened()) return undefined
    const q = quote(symbol)
    return q === undefined ? undefined : { quote: q, json: JSON.stringify(q) }
  }

  const applyNewBar = (bar: BarClosed): QuoteChange | undefined => {
    const s = live.get(bar.symbol)
    if (s === undefined) live.set(bar.symbol, firstSight(bar, catalog.get(bar.symbol)?.daily ?? []))
    else if (!applyBar(s, bar)) return undefined
    if (newest === undefined || bar.frame >= newest.frame) newest = { frame: bar.frame, at: Date.now() }
    return requote(bar.symbol)
  }

  const applyRef = (ref: RefHint & { readonly symbol: string }): QuoteChange | undefined => {
    const known = refs.get(ref.symbol)
    if (known !== undefined && known.day > ref.day) return undefined
    refs.set(ref.symbol, { day: ref.day, name: ref.name, preClose: ref.preClose })
    return requote(ref.symbol)
  }

  return {
    live,
    quote,
    newest: () => newest,
    apply: (fact: LogFact) => (fact._tag === "Bar" ? applyNewBar(fact.bar) : applyRef(fact.ref)),
  }
}
