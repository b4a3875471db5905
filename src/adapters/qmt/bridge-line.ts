/** Parses one line of the QMT bridge's stdout (see bridge.py) into a typed message, or says why it cannot be one. */
import { Result, Schema } from "effect"
import {
  type InstrumentReference,
  isSpecialTreatment,
  TradingDay,
} from "../../domain/instrument-reference.ts"
import { SymbolCode } from "../../domain/symbol.ts"
import { Tick } from "../../domain/tick.ts"

const NonNegative = Schema.Finite.pipe(
  Schema.check(Schema.isGreaterThanOrEqualTo(0, { message: "must be a finite number >= 0" })),
)
const EpochMs = Schema.Int.pipe(
  Schema.check(
    Schema.isBetween(
      { minimum: 946_684_800_000, maximum: 4_102_444_800_000 },
      { message: "time must be epoch milliseconds between 2000 and 2100" },
    ),
  ),
)

/** Reference data as the bridge sends it: QMT's `get_instrument_detail` names plus the adjustment factor. */
const QmtReference = Schema.Struct({
  symbol: SymbolCode,
  day: TradingDay,
  InstrumentName: Schema.String,
  PreClose: NonNegative,
  UpStopPrice: NonNegative,
  DownStopPrice: NonNegative,
  adjust: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0, { message: "must be > 0" }))),
})

/** A QMT 1m history bar (`get_market_data_ex`): labelled by its end; `volume` in lots, `amount` in yuan. */
export const QmtMinuteBar = Schema.Struct({
  symbol: SymbolCode,
  time: EpochMs,
  open: NonNegative,
  high: NonNegative,
  low: NonNegative,
  close: NonNegative,
  volume: NonNegative,
  amount: NonNegative,
})
export type QmtMinuteBar = typeof QmtMinuteBar.Type

const Heartbeat = Schema.Struct({ time: Schema.optionalKey(Schema.NullOr(EpochMs)) })

export type BridgeLine =
  | { readonly _tag: "Tick"; readonly tick: Tick }
  | { readonly _tag: "Reference"; readonly reference: InstrumentReference }
  /** The bridge is alive; `marketMs` is its clock (null while it has none yet). */
  | { readonly _tag: "Heartbeat"; readonly marketMs: number | null }
  | { readonly _tag: "HistoryBar"; readonly bar: QmtMinuteBar }
  /** The end of a history answer. */
  | { readonly _tag: "Done" }

const decodeTick = Schema.decodeUnknownResult(Tick)
const decodeReference = Schema.decodeUnknownResult(QmtReference)
const decodeBar = Schema.decodeUnknownResult(QmtMinuteBar)
const decodeHeartbeat = Schema.decodeUnknownResult(Heartbeat)

// Schema messages span lines ("Expected number\n  at [\"lastPrice\"]"); a dead letter's reason is one line.
const oneLine = (message: string): string => message.replace(/\s*\n\s*/g, " ")

const parseJson = (text: string): Result.Result<unknown, string> => {
  try {
    return Result.succeed(JSON.parse(text))
  } catch (e) {
    // Python's json.dumps writes float('nan') as NaN, which JSON has no word for.
    if (/\b(NaN|-?Infinity)\b/.test(text)) return Result.fail("not JSON: NaN or Infinity in a number field")
    return Result.fail(`not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
}

const toReference = (r: typeof QmtReference.Type): InstrumentReference => ({
  symbol: r.symbol,
  day: r.day,
  name: r.InstrumentName.trim().slice(0, 64),
  preClose: r.PreClose,
  limitUp: r.UpStopPrice,
  limitDown: r.DownStopPrice,
  st: isSpecialTreatment(r.InstrumentName),
  adjust: r.adjust,
})

const decoded = <A, B>(
  what: string,
  result: Result.Result<A, { readonly message: string }>,
  f: (a: A) => B,
): Result.Result<B, string> =>
  Result.isSuccess(result)
    ? Result.succeed(f(result.success))
    : Result.fail(`bad ${what}: ${oneLine(result.failure.message)}`)

/** One bridge line -> a message, or the reason it is a dead letter. */
export const parseBridgeLine = (text: string): Result.Result<BridgeLine, string> => {
  const json = parseJson(text)
  if (Result.isFailure(json)) return Result.fail(json.failure)
  const value = json.success
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined
  switch (type) {
    case "tick":
      return decoded("tick", decodeTick(value), (tick) => ({ _tag: "Tick", tick }))
    case "heartbeat":
      return decoded("heartbeat", decodeHeartbeat(value), (h) => ({
        _tag: "Heartbeat",
        marketMs: h.time ?? null,
      }))
    case "ref":
      return decoded("reference data", decodeReference(value), (r) => ({
        _tag: "Reference",
        reference: toReference(r),
      }))
    case "bar":
      return decoded("history bar", decodeBar(value), (bar) => ({ _tag: "HistoryBar", bar }))
    case "done":
      return Result.succeed({ _tag: "Done" })
    default:
      return Result.fail(`unknown line type ${JSON.stringify(type ?? null).slice(0, 40)}`)
  }
}
