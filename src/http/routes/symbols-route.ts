/** `GET /api/symbols?q=&limit=`: symbols whose code starts with `q` or whose name contains it. */
import { Result, Schema } from "effect"
import { Hono } from "hono"
import { decodeQuery, errorResponse } from "../api-error.ts"
import type { LiveApi } from "../live-api.ts"
import { IntParam } from "../query-params.ts"
import { type CatalogEntry, searchEntries } from "../symbol-catalog.ts"

const SymbolsQuery = Schema.Struct({
  q: Schema.optionalKey(
    Schema.String.pipe(Schema.check(Schema.isMaxLength(40, { message: "at most 40 characters" }))),
  ),
  limit: Schema.optionalKey(IntParam(1, 500)),
})

/** The catalog, then symbols the log has shown but ClickHouse does not have yet (a fresh start). */
function* everySymbol(api: LiveApi): Generator<CatalogEntry> {
  yield* api.catalog.entries()
  for (const symbol of api.view.symbols())
    if (api.catalog.get(symbol) === undefined)
      yield { symbol, name: api.view.quote(symbol)?.name ?? null, ref: undefined, daily: [] }
}

export const symbolsRoute = (api: LiveApi) =>
  new Hono().get("/", (c) => {
    const q = decodeQuery(SymbolsQuery, c.req.query())
    if (Result.isFailure(q)) return errorResponse(c, q.failure)
    const { q: text = "", limit = 20 } = q.success
    return c.json({ symbols: searchEntries(everySymbol(api), text, limit) })
  })
