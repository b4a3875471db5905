/**
 * Publishes replayed bars under another subject prefix, `<PREFIX>.<period>.<EX>.<code>`, with the log's
 * message id in `Nats-Msg-Id`, for a backtest engine. Core NATS publishes, flushed per call so a slow server
 * holds the replay back; a stream of the engine's own that captures the prefix dedups by the id.
 */
import { Effect, Schema } from "effect"
import { type BarClosed, barEventId } from "../../domain/bar.ts"
import { subjectToken } from "../../domain/symbol.ts"
import { messageIdHeaders } from "./message-id-headers.ts"
import { NatsClient, natsCall } from "./nats-client.ts"
import { NatsError } from "./nats-error.ts"

/** Dot-separated tokens without wildcards, and not the live log's own subjects. */
export const SubjectPrefix = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
      message: "a subject prefix is dot-separated tokens of letters, digits, _ or - (no wildcards)",
    }),
    Schema.makeFilter((p: string) =>
      p.split(".")[0] === "bars" || p.split(".")[0] === "ref"
        ? "a subject prefix must not start with bars or ref: those subjects are the live log"
        : undefined,
    ),
  ),
)

export const republishedSubject = (prefix: string, bar: Pick<BarClosed, "symbol" | "period">): string =>
  `${prefix}.${bar.period}.${subjectToken(bar.symbol)}`

const withId = messageIdHeaders()

/** Publishes `bars` under `prefix` and waits until the server has them all (a flush). */
export const republishBars = Effect.fn("republishBars")(function* (
  prefix: string,
  bars: ReadonlyArray<BarClosed>,
) {
  const { nc } = yield* NatsClient
  yield* Effect.try({
    try: () => {
      for (const bar of bars)
        nc.publish(republishedSubject(prefix, bar), JSON.stringify(bar), { headers: withId(barEventId(bar)) })
    },
    catch: (cause) => new NatsError({ operation: "publish", cause }),
  })
  yield* natsCall("flush", () => nc.flush())
})
