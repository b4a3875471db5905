/**
 * The Redis Stream that bridges the WAN: the source appends market events (pipelined XADD), the relay reads
 * them with a consumer group and acknowledges only what JetStream has taken.
 *
 * Entries have two fields: `type` (`bar` | `ref`) and `data` (the event as JSON).
 */
import { Context, Effect, Layer, Redacted } from "effect"
import { Redis } from "ioredis"
import { RedisError } from "./redis-error.ts"
import { type GroupProgress, oldestNeeded } from "./relayed-floor.ts"

export interface StreamEntry {
  readonly id: string
  readonly fields: Readonly<Record<string, string>>
}

export interface EventEntry {
  readonly type: string
  readonly data: string
}

export interface EventStreamOptions {
  readonly url: Redacted.Redacted<string>
  readonly stream: string
}

type RawEntries = Array<[string, string[] | null]>

const toEntries = (raw: RawEntries): StreamEntry[] =>
  raw.map(([id, flat]) => {
    const fields: Record<string, string> = {}
    for (let i = 0; flat !== null && i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
    return { id, fields }
  })

const connect = (url: Redacted.Redacted<string>, name: string) =>
  Effect.acquireRelease(
    Effect.sync(
      () =>
        new Redis(Redacted.value(url), {
          connectionName: name,
          lazyConnect: false,
          maxRetriesPerRequest: null,
          connectTimeout: 5_000,
          keepAlive: 10_000,
          retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
        }),
    ),
    (redis) => Effect.promise(() => redis.quit().catch(() => redis.disconnect())),
  )

/**
 * Each group's progress, then one trim below the oldest entry still needed. Not atomic, and need not be:
 * between the reads and the trim a group's progress only moves forward, so the floor only gets more careful.
 */
const trimRelayed = async (redis: Redis, key: string): Promise<number> => {
  const groups = (await redis.xinfo("GROUPS", key).catch((e: Error) => {
    if (String(e.message).includes("no such key")) return []
    throw e
  })) as Array<Array<string | number>>
  const progress: GroupProgress[] = []
  for (const flat of groups) {
    const info: Record<string, string | number> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) info[String(flat[i])] = flat[i + 1]!
    const [pending, oldestPending] = (await redis.xpending(key, String(info.name))) as [number, string | null]
    progress.push({ pending, oldestPending, lastDelivered: String(info["last-delivered-id"]) })
  }
  const floor = oldestNeeded(progress)
  return floor === undefined ? 0 : ((await redis.xtrim(key, "MINID", "~", floor)) as number)
}

export class EventStream extends Context.Service<
  EventStream,
  {
    readonly stream: string
    append(entries: ReadonlyArray<EventEntry>): Effect.Effect<void, RedisError>
    ensureGroup(group: string): Effect.Effect<void, RedisError>
    /** New entries for this consumer (`>`), waiting up to `blockMs`. */
    readNew(
      group: string,
      consumer: string,
      count: number,
      blockMs: number,
    ): Effect.Effect<StreamEntry[], RedisError>
    /** This consumer's own delivered-but-unacked entries (after a restart under the same name). */
    readOwnPending(group: string, consumer: string, count: number): Effect.Effect<StreamEntry[], RedisError>
    /** Takes over entries other consumers left unacked for at least `minIdleMs` (they died). */
    claimStale(
      group: string,
      consumer: string,
      minIdleMs: number,
      count: number,
    ): Effect.Effect<StreamEntry[], RedisError>
    ack(group: string, ids: ReadonlyArray<string>): Effect.Effect<void, RedisError>
    /**
     * Drops entries every consumer group has delivered and acked (`XTRIM MINID ~`), never one a group still
     * needs; returns how many went. Without groups nothing goes.
     */
    trimRelayed: Effect.Effect<number, RedisError>
    length: Effect.Effect<number, RedisError>
    ping: Effect.Effect<void, RedisError>
    appendTo(
      stream: string,
      entries: ReadonlyArray<EventEntry & Record<string, string>>,
    ): Effect.Effect<void, RedisError>
  }
>()("minutebar/redis/EventStream") {
  static readonly layer = (options: EventStreamOptions) => Layer.effect(EventStream, makeEventStream(options))
}

const makeEventStream = Effect.fnUntraced(function* (options: EventStreamOptions) {
  const commands = yield* connect(options.url, "minutebar")
  // XREADGROUP BLOCK holds its connection: give blocking reads their own.
  const reader = yield* connect(options.url, "minutebar-reader")
  const key = options.stream
  const call = <A>(operation: string, f: () => Promise<A>) =>
    Effect.tryPromise({ try: f, catch: (cause) => new RedisError({ operation, cause }) })

  const appendTo = (stream: string, entries: ReadonlyArray<Record<string, string>>) =>
    call("XADD", async () => {
      if (entries.length === 0) return
      const pipeline = commands.pipeline()
      for (const e of entries) pipeline.xadd(stream, "*", ...Object.entries(e).flat())
      const results = (await pipeline.exec()) ?? []
      const failed = results.find(([err]) => err !== null)
      if (failed) throw failed[0]
    })

  return EventStream.of({
    stream: key,
    append: (entries) =>
      appendTo(
        key,
        entries.map((e) => ({ type: e.type, data: e.data })),
      ),
    appendTo: (stream, entries) => appendTo(stream, entries),
    ensureGroup: (group) =>
      call("XGROUP CREATE", () =>
        commands.call("XGROUP", "CREATE", key, group, "0", "MKSTREAM").catch((e: Error) => {
          if (!String(e.message).includes("BUSYGROUP")) throw e
        }),
      ).pipe(Effect.asVoid),
    readNew: (group, consumer, count, blockMs) =>
      call("XREADGROUP", async () => {
        const res = (await reader.xreadgroup(
          "GROUP",
          group,
          consumer,
          "COUNT",
          count,
          "BLOCK",
          blockMs,
          "STREAMS",
          key,
          ">",
        )) as Array<[string, RawEntries]> | null
        return res === null ? [] : toEntries(res[0]![1])
      }),
    readOwnPending: (group, consumer, count) =>
      call("XREADGROUP 0", async () => {
        const res = (await commands.xreadgroup(
          "GROUP",
          group,
          consumer,
          "COUNT",
          count,
          "STREAMS",
          key,
          "0",
        )) as Array<[string, RawEntries]> | null
        return res === null ? [] : toEntries(res[0]![1])
      }),
    claimStale: (group, consumer, minIdleMs, count) =>
      call("XAUTOCLAIM", async () => {
        const res = (await commands.call(
          "XAUTOCLAIM",
          key,
          group,
          consumer,
          minIdleMs,
          "0-0",
          "COUNT",
          count,
        )) as [string, RawEntries, unknown]
        return toEntries(res[1].filter(([, f]) => f !== null))
      }),
    ack: (group, ids) =>
      ids.length === 0
        ? Effect.void
        : call("XACK", () => commands.xack(key, group, ...ids)).pipe(Effect.asVoid),
    trimRelayed: call("XTRIM MINID", () => trimRelayed(commands, key)),
    length: call("XLEN", () => commands.xlen(key)),
    ping: call("PING", () => commands.ping()).pipe(Effect.asVoid),
  })
})
