/**
 * The realtime part of the API and what it reads: the latest-bar view, the symbol catalog and the watch list.
 * Mounted before the other routes so its known-symbol check runs ahead of /api/bars.
 */
import type { Hono } from "hono"
import { isSymbolCode } from "../domain/symbol.ts"
import { errorResponse } from "./api-error.ts"
import type { LatestBars } from "./latest-bars.ts"
import { latestRoute } from "./routes/latest-route.ts"
import { openapiRoute } from "./routes/openapi-route.ts"
import { overviewRoute } from "./routes/overview-route.ts"
import { streamRoute } from "./routes/stream-route.ts"
import { symbolsRoute } from "./routes/symbols-route.ts"
import type { SymbolCatalog } from "./symbol-catalog.ts"

export interface LiveApi {
  readonly view: LatestBars["Service"]
  readonly catalog: SymbolCatalog["Service"]
  readonly watchlist: ReadonlyArray<string>
  /** How often /api/stream sends a heartbeat when no bar comes (default 15 s). */
  readonly heartbeatMs?: number
}

/** A symbol is known when ClickHouse has its reference data or bars, or the log has shown a bar of it. */
export const isKnown = (api: LiveApi, symbol: string): boolean =>
  api.catalog.get(symbol) !== undefined || api.view.has(symbol)

export const unknownSymbol = (symbols: ReadonlyArray<string>, param: string) => ({
  status: 404 as const,
  code: "unknown_symbol",
  message: `no such symbol: ${symbols.slice(0, 5).join(", ")}${symbols.length > 5 ? ", ..." : ""}`,
  param,
})

export const mountLiveApi = (app: Hono, api: LiveApi | undefined): void => {
  app.route("/api/openapi.json", openapiRoute())
  if (api === undefined) return
  // /api/bars belongs to the bar-query route; a well-formed symbol nobody knows is a 404 before any query.
  app.use("/api/bars", async (c, next) => {
    const symbol = c.req.query("symbol")
    if (symbol !== undefined && isSymbolCode(symbol) && !isKnown(api, symbol))
      return errorResponse(c, unknownSymbol([symbol], "symbol"))
    return next()
  })
  app.route("/api/latest", latestRoute(api))
  app.route("/api/overview", overviewRoute(api))
  app.route("/api/symbols", symbolsRoute(api))
  app.route("/api/stream", streamRoute(api))
}
