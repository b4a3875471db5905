/**
 * `GET /api/bars?symbol=&period=&start=&end=&limit=&adjust=`: bars of one symbol from the ClickHouse tables
 * (every stored period, 1d included), prices adjusted on request (`adjust=none|front|back`).
 */
import { Effect, Result, Schema } from "effect"
import { Hono } from "hono"
import type { BarColumns } from "../../adapters/clickhouse/bar-columns.ts"
import { BarQueries } from "../../adapters/clickhouse/bar-queries.ts"
import { formatFrame, parseShanghai } from "../../domain/market-time.ts"
import { StoredPeriod } from "../../domain/period.ts"
import { AdjustMode } from "../../domain/price-adjustment.ts"
import { SymbolCode } from "../../domain/symbol.ts"
import { decodeQuery, errorResponse } from "../api-error.ts"
import type { RunEffect } from "../run-effect.ts"

const Time = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((s: string) =>
      Number.isNaN(parseShanghai(s))
        ? "expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (Shanghai)"
        : undefined,
    ),
  ),
)

const Limit = Schema.FiniteFromString.pipe(
  Schema.check(
    Schema.isInt({ message: "expected a whole number" }),
    Schema.isBetween({ minimum: 1, maximum: 100_000 }, { message: "expected 1..100000" }),
  ),
)

const BarsQuery = Schema.Struct({
  symbol: SymbolCode,
  period: Schema.optionalKey(StoredPeriod),
  start: Schema.optionalKey(Time),
  end: Schema.optionalKey(Time),
  limit: Schema.optionalKey(Limit),
  adjust: Schema.optionalKey(AdjustMode),
})

const FAR_PAST = "1990-01-01"

/** The response keeps one object per bar: `{ frame, open, high, low, close, vol, amount }`. */
const barObjects = (c: BarColumns) =>
  c.frame.map((frame, i) => ({
    frame,
    open: c.open[i]!,
    high: c.high[i]!,
    low: c.low[i]!,
    close: c.close[i]!,
    vol: c.vol[i]!,
    amount: c.amount[i]!,
  }))

export const barsRoute = (run: RunEffect<BarQueries>) =>
  new Hono().get("/", async (c) => {
    const q = decodeQuery(BarsQuery, c.req.query())
    if (Result.isFailure(q)) return errorResponse(c, q.failure)
    const { symbol, period = "1m", start, end, limit = 10_000, adjust = "none" } = q.success
    const read = BarQueries.use((bars) =>
      bars.getBars(
        symbol,
        period,
        start ?? FAR_PAST,
        end ?? formatFrame(Date.now() + 86_400_000),
        // Without a start the newest `limit` bars are wanted, not the oldest.
        { adjust, limit, newest: start === undefined },
      ),
    )
    const result = await run(Effect.result(read))
    if (Result.isSuccess(result)) return c.json({ symbol, period, bars: barObjects(result.success) })
    const e = result.failure
    if (e._tag === "BadBarQuery")
      return errorResponse(c, { status: 400, code: "bad_parameter", message: e.message, param: e.param })
    throw e
  })
