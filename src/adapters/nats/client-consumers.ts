/**
 * Named extra clients of the log: client NAME is the durable pull consumer `client-NAME` on the 1m bar
 * subjects, so it continues where it stopped after a restart, and processes sharing a name share its bars.
 * Created on first use, listed with their progress, removed by name.
 */
import { AckPolicy, type ConsumerConfig, type ConsumerInfo, DeliverPolicy } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import { Effect, Schema } from "effect"
import { barSubject } from "../../domain/market-event.ts"
import type { SymbolCode } from "../../domain/symbol.ts"
import { NatsClient, natsCall } from "./nats-client.ts"

export const ClientName = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Za-z0-9_-]{1,64}$/, {
      message: "a client name is 1 to 64 letters, digits, _ or -",
    }),
  ),
)

const PREFIX = "client-"
export const clientDurable = (name: string): string => `${PREFIX}${name}`

/** A client not acking for this long has its bars delivered again (to it after a restart, or to a sibling). */
const ACK_WAIT_MS = 30_000
/** Bars delivered and not yet acked, across all processes of a client: bounds what a stuck client holds. */
const MAX_ACK_PENDING = 10_000

/**
 * The server-side filter: one symbol's subject, else every 1m bar. nats-server 2.9 takes a single filter
 * subject, so several symbols are filtered by the client (which acks the others without showing them).
 */
export const clientFilterSubject = (symbols: ReadonlyArray<SymbolCode>): string =>
  symbols.length === 1 ? barSubject({ symbol: symbols[0]!, period: "1m" }) : "bars.1m.>"

export interface ClientSpec {
  readonly name: string
  readonly filterSubject: string
  /** Epoch ms to start from when the client is created; default: bars published from now on. */
  readonly from?: number
}

export interface ClientInfo {
  readonly name: string
  readonly filter: string
  /** Bars in the log the client has not been given yet. */
  readonly pending: number
  /** Bars given to it and not acked yet. */
  readonly ackPending: number
  /** Stream sequence up to which everything is acked: where a restart continues. */
  readonly ackFloor: number
  /** Pull requests waiting now: roughly how many processes are reading. */
  readonly waiting: number
  /** Last delivery or ack, ISO time; null when it never read. */
  readonly lastActive: string | null
  readonly created: string
}

export class ClientFilterMismatch extends Schema.TaggedError<ClientFilterMismatch>()("ClientFilterMismatch", {
  name: Schema.String,
  existing: Schema.String,
  wanted: Schema.String,
}) {
  override get message(): string {
    return (
      `client ${this.name} reads ${this.existing}, not ${this.wanted}: use the same --symbols, ` +
      `or remove it first (minutebar clients rm ${this.name})`
    )
  }
}

const isNotFound = (e: unknown): boolean => {
  const code = (e as { code?: unknown }).code
  return code === 10014
}

const consumerConfig = (spec: ClientSpec): Partial<ConsumerConfig> => ({
  durable_name: clientDurable(spec.name),
  ack_policy: AckPolicy.Explicit,
  filter_subject: spec.filterSubject,
  ack_wait: nanos(ACK_WAIT_MS),
  max_ack_pending: MAX_ACK_PENDING,
  ...(spec.from === undefined
    ? { deliver_policy: DeliverPolicy.New }
    : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(spec.from).toISOString() }),
})

/** Info of client `name`'s consumer, or undefined when there is none (other failures fail). */
const infoOf = (name: string) =>
  NatsClient.use(({ jsm, stream }) =>
    natsCall("consumer info", () =>
      jsm.consumers
        .info(stream, clientDurable(name))
        .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
    ),
  )

/**
 * The client's consumer, created when missing; an existing one keeps its position (`from` applies only at
 * creation). Two processes creating it at once both succeed: an identical config is accepted twice.
 */
export const openClientConsumer = Effect.fn("openClientConsumer")(function* (spec: ClientSpec) {
  const { jsm, js, stream } = yield* NatsClient
  const found = yield* infoOf(spec.name)
  const created = found === undefined
  const existing =
    found ??
    (yield* natsCall("consumer add", () =>
      jsm.consumers
        .add(stream, consumerConfig(spec))
        // Lost a creation race to a sibling with another `from`: take the one that won.
        .catch((e) => jsm.consumers.info(stream, clientDurable(spec.name)).catch(() => Promise.reject(e))),
    ))
  const filter = existing.config.filter_subject ?? ">"
  if (filter !== spec.filterSubject)
    return yield* new ClientFilterMismatch({ name: spec.name, existing: filter, wanted: spec.filterSubject })
  const consumer = yield* natsCall("consumer get", () => js.consumers.get(stream, clientDurable(spec.name)))
  return { consumer, created }
})

const later = (a: string | undefined, b: string | undefined): string | null => {
  // ISO times of one zone sort as text; the zero time (0001-01-01) means never.
  const best = [a ?? "", b ?? ""].map((s) => (s.startsWith("0001-") ? "" : s)).sort()[1]!
  return best === "" ? null : best
}

const toClientInfo = (ci: ConsumerInfo): ClientInfo => ({
  name: ci.name.slice(PREFIX.length),
  filter: ci.config.filter_subject ?? ">",
  pending: ci.num_pending,
  ackPending: ci.num_ack_pending,
  ackFloor: ci.ack_floor.stream_seq,
  waiting: ci.num_waiting,
  // Typed as nanos by the client library; the server sends an ISO time (absent before the first delivery).
  lastActive: later(
    ci.delivered.last_active as unknown as string | undefined,
    ci.ack_floor.last_active as unknown as string | undefined,
  ),
  created: ci.created,
})

/** Every client of the log, by name. */
export const listClients = Effect.fn("listClients")(function* () {
  const { jsm, stream } = yield* NatsClient
  const infos = yield* natsCall("consumer list", async () => {
    const out: ConsumerInfo[] = []
    for await (const ci of jsm.consumers.list(stream)) if (ci.name.startsWith(PREFIX)) out.push(ci)
    return out
  })
  return infos.map(toClientInfo).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
})

/** Removes client `name` (its position is lost); false when there was no such client. */
export const removeClient = Effect.fn("removeClient")(function* (name: string) {
  const { jsm, stream } = yield* NatsClient
  return yield* natsCall("consumer delete", () =>
    jsm.consumers
      .delete(stream, clientDurable(name))
      .catch((e) => (isNotFound(e) ? false : Promise.reject(e))),
  )
})
