/** `GET /api/latest?symbols=`: each symbol's newest 1m bar, day volume and change, from memory. */
import { Result, Schema } from "effect"
import { Hono } from "hono"
import { decodeQuery, errorResponse } from "../api-error.ts"
import { isKnown, type LiveApi, unknownSymbol } from "../live-api.ts"
import { SymbolList, splitSymbols } from "../query-params.ts"
import type { Quote } from "../quote.ts"

const LatestQuery = Schema.Struct({ symbols: SymbolList })

export const latestRoute = (api: LiveApi) =>
  new Hono().get("/", (c) => {
    const q = decodeQuery(LatestQuery, c.req.query())
    if (Result.isFailure(q)) return errorResponse(c, q.failure)
    const quotes: Quote[] = []
    const noBars: string[] = []
    const unknown: string[] = []
    for (const symbol of splitSymbols(q.success.symbols)) {
      const quote = api.view.quote(symbol)
      if (quote !== undefined) quotes.push(quote)
      else if (isKnown(api, symbol)) noBars.push(symbol)
      else unknown.push(symbol)
    }
    if (quotes.length === 0 && noBars.length === 0) return errorResponse(c, unknownSymbol(unknown, "symbols"))
    return c.json({ quotes, noBars, unknown })
  })
