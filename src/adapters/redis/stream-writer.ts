/**
 * The QMT adapter's side of the WAN bridge: pipelined XADD of market events to the remote Redis stream, failing
 * at once while the link is down (the adapter's outbox keeps the events meanwhile). The client reconnects by
 * itself with backoff; the layer does not wait for Redis at start, since the adapter must run without it.
 *
 * Entries have the two fields of EventStream's: `type` (`bar` | `ref`) and `data` (the event as JSON).
 */
import { Context, Effect, Layer, Redacted } from "effect"
import { Redis } from "ioredis"
import type { EventEntry } from "./event-stream.ts"
import { RedisError } from "./redis-error.ts"
import { describeRedisUrl, remoteRedisOptions } from "./remote-redis-options.ts"

export interface StreamWriterOptions {
  readonly url: Redacted.Redacted<string>
  readonly stream: string
}

export class StreamWriter extends Context.Service<
  StreamWriter,
  {
    readonly stream: string
    /** The Redis target without credentials, for logs. */
    readonly target: string
    append(entries: ReadonlyArray<EventEntry>): Effect.Effect<void, RedisError>
    /** The last connection error, cleared when connected (for status lines). */
    lastError(): string | undefined
  }
>()("minutebar/redis/StreamWriter") {
  static readonly layer = (options: StreamWriterOptions) =>
    Layer.effect(StreamWriter, makeStreamWriter(options))
}

const makeStreamWriter = Effect.fnUntraced(function* (options: StreamWriterOptions) {
  const url = Redacted.value(options.url)
  const target = describeRedisUrl(url)
  let lastError: string | undefined
  const redis = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const client = new Redis(remoteRedisOptions(url, "minutebar-qmt-adapter"))
      // Without a listener ioredis prints every failed reconnect; the outbox sender reports outages instead.
      client.on("error", (e: Error) => (lastError = e.message))
      client.on("ready", () => (lastError = undefined))
      return client
    }),
    (client) => Effect.promise(() => client.quit().catch(() => client.disconnect())),
  )
  const key = options.stream
  return StreamWriter.of({
    stream: key,
    target,
    lastError: () => lastError,
    append: (entries) =>
      Effect.tryPromise({
        try: async () => {
          if (entries.length === 0) return
          const pipeline = redis.pipeline()
          for (const e of entries) pipeline.xadd(key, "*", "type", e.type, "data", e.data)
          const results = (await pipeline.exec()) ?? []
          const failed = results.find(([err]) => err !== null)
          if (failed) throw failed[0]
        },
        catch: (cause) => new RedisError({ operation: "XADD", cause }),
      }),
  })
})
