/** `GET /api/bars?symbol=&period=&start=&end=&limit=`: bars of one symbol from the ClickHouse tables. */
import { Result, Schema } from "effect"
import { Hono } from "hono"
import { BarStore } from "../../adapters/clickhouse/bar-store.ts"
import { formatFrame, parseShanghai } from "../../domain/market-time.ts"
import { StoredPeriod } from "../../domain/period.ts"
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
})

const FAR_PAST = "1990-01-01 00:00:00"

/** A date alone as `end` means the whole day. */
const endBound = (s: string): string => (s.length === 10 ? `${s} 23:59:59` : formatFrame(parseShanghai(s)))

export const barsRoute = (run: RunEffect<BarStore>) =>
  new Hono().get("/", async (c) => {
    const q = decodeQuery(BarsQuery, c.req.query())
    if (Result.isFailure(q)) return errorResponse(c, q.failure)
    const { symbol, period = "1m", start, end, limit = 10_000 } = q.success
    const range = {
      symbol,
      period,
      start: start === undefined ? FAR_PAST : formatFrame(parseShanghai(start)),
      end: end === undefined ? formatFrame(Date.now() + 86_400_000) : endBound(end),
      limit,
    }
    if (range.start > range.end)
      return errorResponse(c, {
        status: 400,
        code: "bad_parameter",
        message: "start: is after end",
        param: "start",
      })
    // Without a start the newest `limit` bars are wanted, not the oldest.
    const latestFirst = start === undefined
    const bars = await run(BarStore.use((store) => store.read({ ...range, latestFirst })))
    return c.json({
      symbol,
      period,
      bars: bars.map(({ frame, open, high, low, close, vol, amount }) => ({
        frame,
        open,
        high,
        low,
        close,
        vol,
        amount,
      })),
    })
  })
