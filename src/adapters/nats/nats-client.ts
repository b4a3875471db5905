/**
 * A NATS connection with its JetStream handles, for everything that reads or administers the log beside the
 * relay and projection (extra clients, latest bars, replay): opened, checked and drained by its layer.
 */
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { NatsError } from "./nats-error.ts"
import { natsUrl } from "./nats-server-process.ts"

export interface NatsClientOptions {
  readonly url: Redacted.Redacted<string>
  /** The log stream (NATS_STREAM). */
  readonly stream: string
  /** The connection's name on the server, so `nats server report connections` tells clients apart. */
  readonly name?: string
}

export class NatsClient extends Context.Service<
  NatsClient,
  {
    readonly stream: string
    readonly nc: NatsConnection
    readonly jsm: JetStreamManager
    readonly js: JetStreamClient
  }
>()("minutebar/nats/NatsClient") {
  static readonly layer = (options: NatsClientOptions) => Layer.effect(NatsClient, makeNatsClient(options))
}

/** One promise call of the NATS client as an Effect failing with NatsError. */
export const natsCall = <A>(operation: string, f: () => Promise<A>): Effect.Effect<A, NatsError> =>
  Effect.tryPromise({ try: f, catch: (cause) => new NatsError({ operation, cause }) })

const makeNatsClient = Effect.fnUntraced(function* (o: NatsClientOptions) {
  const nc = yield* Effect.acquireRelease(
    natsCall("connect", () =>
      connect({
        servers: Redacted.value(o.url),
        name: o.name ?? "minutebar-client",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      }),
    ),
    // drain() sends what is buffered (acks above all) before closing.
    (nc) => Effect.promise(() => nc.drain().catch(() => nc.close())),
  )
  // Fails fast when the server runs without JetStream.
  const jsm = yield* natsCall("jetstreamManager", () => jetstreamManager(nc))
  return NatsClient.of({ stream: o.stream, nc, jsm, js: jetstream(nc, { timeout: 10_000 }) })
})

/** NATS_URL, else the private server `minutebar up` starts on EMBEDDED_NATS_PORT (the embedded default). */
export const natsUrlOrEmbedded = (o: {
  readonly natsUrl: Option.Option<Redacted.Redacted<string>>
  readonly embeddedNatsPort: number
}): Redacted.Redacted<string> => Option.getOrElse(o.natsUrl, () => Redacted.make(natsUrl(o.embeddedNatsPort)))
