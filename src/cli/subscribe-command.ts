/**
 * `minutebar subscribe --name NAME [--symbols A,B] [--period 1m] [--from TIME]`: the live 1m bars of a named
 * client as NDJSON on stdout, each acked only after it was written. The client is a durable consumer of the
 * log: run it again and it continues after the last bar it printed; run it twice at once and the two
 * processes split the bars; other names each get every bar. NATS_URL (default: the server of `minutebar up`).
 */
import { Console, Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { ClientName } from "../adapters/nats/client-consumers.ts"
import { NatsClient, natsUrlOrEmbedded } from "../adapters/nats/nats-client.ts"
import { loadSettings } from "../config/config-provider.ts"
import { formatFrame, parseShanghai } from "../domain/market-time.ts"
import { runClientSubscription } from "../pipelines/client-subscription.ts"
import { writeStdout } from "../pipelines/ndjson-stdout.ts"
import { parseSymbolList } from "../pipelines/symbol-list.ts"

class BadFlag extends Error {
  override readonly name = "BadFlag"
}

/** Shanghai `YYYY-MM-DD[ HH:MM[:SS]]`, or an ISO time with its zone (`2024-01-02T01:30:00Z`). */
export const parseFromTime = (text: string): number => {
  const shanghai = parseShanghai(text)
  return Number.isNaN(shanghai) && /T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : shanghai
}

const flags = {
  name: Flag.String("name").pipe(
    Flag.withSchema(ClientName),
    Flag.withDescription("Client name (letters, digits, _ or -): its position in the log is kept under it"),
  ),
  symbols: Flag.String("symbols").pipe(
    Flag.withDescription("Only these symbols, comma-separated (default: all)"),
    Flag.optional,
  ),
  period: Flag.Literals("period", ["1m", "5m", "30m"]).pipe(
    Flag.withDescription("Only 1m for now (see README: Extra clients)"),
    Flag.withDefault("1m"),
  ),
  from: Flag.String("from").pipe(
    Flag.withDescription(
      "Where a NEW client starts: Shanghai time YYYY-MM-DD HH:MM[:SS] or ISO with zone (default: from now); " +
        "an existing client continues where it stopped",
    ),
    Flag.optional,
  ),
}

const checked = (a: { symbols: Option.Option<string>; period: string; from: Option.Option<string> }) =>
  Effect.gen(function* () {
    if (a.period !== "1m")
      return yield* Effect.fail(
        new BadFlag(
          "--period: subscribe gives 1m bars only for now (a live 5m bar needs minutes a restarted client " +
            "already acked); for a past day use `minutebar replay --period 5m`",
        ),
      )
    const symbols = parseSymbolList(Option.toArray(a.symbols))
    if (Result.isFailure(symbols)) return yield* Effect.fail(new BadFlag(`--symbols: ${symbols.failure}`))
    const from = Option.map(a.from, parseFromTime)
    if (Option.isSome(from) && Number.isNaN(from.value))
      return yield* Effect.fail(
        new BadFlag("--from: expected YYYY-MM-DD HH:MM[:SS] (Shanghai) or an ISO time"),
      )
    return { symbols: symbols.success, from: Option.getOrUndefined(from) }
  })

export const subscribeCommand = Command.make("subscribe", flags, (a) =>
  Effect.gen(function* () {
    const s = yield* loadSettings
    const { symbols, from } = yield* checked(a)
    const opened = (created: boolean) =>
      Console.error(
        created
          ? `client ${a.name}: new, from ${from === undefined ? "now" : `${formatFrame(from)} (Shanghai)`}`
          : `client ${a.name}: continues where it stopped${from === undefined ? "" : " (--from is for a new client)"}`,
      )
    yield* runClientSubscription(
      { name: a.name, symbols, ...(from === undefined ? {} : { from }) },
      {
        bar: (bar) => writeStdout(`${JSON.stringify(bar)}\n`),
        bad: (subject, reason) => Console.error(`${subject}: not a bar, dropped: ${reason}`),
        opened,
      },
    ).pipe(
      Effect.provide(
        NatsClient.layer({
          url: natsUrlOrEmbedded(s),
          stream: s.natsStream,
          name: `minutebar-client-${a.name}`,
        }),
      ),
    )
  }),
).pipe(
  Command.withDescription(
    "Print a named client's live 1m bars as NDJSON (durable: a restart continues where it stopped; " +
      "processes with one name split the bars). NATS_URL, NATS_STREAM",
  ),
)
