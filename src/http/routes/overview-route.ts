/** `GET /api/overview`: the watch list (WATCHLIST) with last price, change against the previous close, day volume. */
import { Hono } from "hono"
import type { LiveApi } from "../live-api.ts"

export interface OverviewRow {
  readonly symbol: string
  readonly name: string | null
  readonly frame: string | null
  readonly last: number | null
  readonly change: number | null
  readonly changePct: number | null
  readonly dayVol: number | null
}

const rowOf = (api: LiveApi, symbol: string): OverviewRow => {
  const q = api.view.quote(symbol)
  if (q === undefined)
    return {
      symbol,
      name: api.catalog.get(symbol)?.name ?? null,
      frame: null,
      last: null,
      change: null,
      changePct: null,
      dayVol: null,
    }
  const { name, frame, close, change, changePct, dayVol } = q
  return { symbol, name, frame, last: close, change, changePct, dayVol }
}

export const overviewRoute = (api: LiveApi) =>
  new Hono().get("/", (c) => c.json({ rows: api.watchlist.map((s) => rowOf(api, s)) }))
