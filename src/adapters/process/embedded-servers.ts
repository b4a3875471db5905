/**
 * Embedded defaults: when no Redis or NATS URL is configured, start private redis-server and nats-server
 * children with data under DATA_DIR, and stop them (cleanly) when the scope closes.
 */
import { join, resolve } from "node:path"
import { Effect, Option, Redacted } from "effect"
import { natsServer, natsUrl } from "../nats/nats-server-process.ts"
import { redisServer, redisUrl } from "../redis/redis-server-process.ts"
import type { ChildServer } from "./child-server.ts"
import { ensureServerBinaries, NATS_SERVER, REDIS_SERVER, type ServerBinary } from "./server-binaries.ts"

export interface ServerUrls {
  readonly redisUrl: Redacted.Redacted<string>
  readonly natsUrl: Redacted.Redacted<string>
}

export interface EmbeddedOptions {
  readonly dataDir: string
  readonly redisUrl: Option.Option<Redacted.Redacted<string>>
  readonly natsUrl: Option.Option<Redacted.Redacted<string>>
  readonly embeddedRedisPort: number
  readonly embeddedNatsPort: number
}

const startScoped = (server: ChildServer) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => server.start(),
      catch: (e) =>
        new Error(
          `could not start ${server.spec.name} on port ${server.spec.port}: ${(e as Error).message}` +
            " (is another minutebar running? set EMBEDDED_REDIS_PORT / EMBEDDED_NATS_PORT)",
        ),
    }).pipe(
      Effect.tap(({ stoppedLeftover }) =>
        stoppedLeftover === undefined
          ? Effect.void
          : Effect.logWarning(
              `stopped ${server.spec.name} (pid ${stoppedLeftover}) that a minutebar killed earlier had left running on this data directory`,
            ),
      ),
    ),
    () => Effect.promise(() => server.stop()),
  )

/** Returns the URLs to use, starting whichever server has no URL configured. */
export const embeddedServers = Effect.fn("embeddedServers")(function* (o: EmbeddedOptions) {
  const wanted: ServerBinary[] = []
  if (Option.isNone(o.redisUrl)) wanted.push(REDIS_SERVER)
  if (Option.isNone(o.natsUrl)) wanted.push(NATS_SERVER)
  const bins = yield* Effect.try({
    try: () => ensureServerBinaries(wanted, (line) => console.error(line)),
    catch: (e) => e as Error,
  })
  const dataDir = resolve(o.dataDir)
  let redis = Option.getOrUndefined(o.redisUrl)
  if (redis === undefined) {
    const port = o.embeddedRedisPort
    yield* startScoped(redisServer({ binary: bins["redis-server"]!, port, dataDir: join(dataDir, "redis") }))
    redis = Redacted.make(redisUrl(port))
    yield* Effect.logInfo(`embedded redis-server on 127.0.0.1:${port}, data in ${join(dataDir, "redis")}`)
  }
  let nats = Option.getOrUndefined(o.natsUrl)
  if (nats === undefined) {
    const port = o.embeddedNatsPort
    yield* startScoped(natsServer({ binary: bins["nats-server"]!, port, dataDir: join(dataDir, "nats") }))
    nats = Redacted.make(natsUrl(port))
    yield* Effect.logInfo(
      `embedded nats-server (JetStream) on 127.0.0.1:${port}, data in ${join(dataDir, "nats")}`,
    )
  }
  return { redisUrl: redis, natsUrl: nats } satisfies ServerUrls
})
