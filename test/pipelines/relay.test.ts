import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Fiber, Layer } from "effect"
import { Redis } from "ioredis"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import { routeEntry } from "../../src/adapters/redis/event-entry.ts"
import { EventStream } from "../../src/adapters/redis/event-stream.ts"
import { compareIds as compareStreamIds } from "../../src/adapters/redis/relayed-floor.ts"
import { barEventId } from "../../src/domain/bar.ts"
import type { LogFact } from "../../src/domain/market-event.ts"
import { type RelayOptions, runRelay } from "../../src/pipelines/relay.ts"
import { barEntries, barIds } from "../support/bar-entries.ts"
import { compareIds, logMessageIds } from "../support/log-reader.ts"
import { makeRelayRuntime } from "../support/relay-runtime.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"

const relay = (consumer: string, o: Partial<RelayOptions> = {}): RelayOptions => ({
  group: "relay",
  consumer,
  batchSize: 500,
  blockMs: 100,
  claimIdleMs: 30_000,
  inFlight: 4,
  ...o,
})

/** Counts the entries one relay acks, to see how relays sharing a stream split it. */
const countingAcks = (acked: { n: number }) =>
  Layer.effect(
    EventStream,
    Effect.gen(function* () {
      const s = yield* EventStream
      return EventStream.of({
        ...s,
        ack: (group, ids) =>
          s.ack(group, ids).pipe(
            Effect.tap(() =>
              Effect.sync(() => {
                acked.n += ids.length
              }),
            ),
          ),
      })
    }),
  )

/** Writes down each batch JetStream has acknowledged, to see what the relay tells of and when. */
const recordingPublishes = (timeline: string[]) =>
  Layer.effect(
    MarketLog,
    Effect.gen(function* () {
      const log = yield* MarketLog
      return MarketLog.of({
        ...log,
        publish: (messages) =>
          log
            .publish(messages)
            .pipe(
              Effect.tap(() =>
                Effect.sync(() => timeline.push(...messages.map((m) => `in the log ${m.id}`))),
              ),
            ),
      })
    }),
  )

describe("the relay: Redis stream -> JetStream, each entry exactly once", () => {
  let servers: TestServers
  let redis: Redis
  let nc: NatsConnection
  let jsm: JetStreamManager
  let key = ""
  let runtime: ReturnType<typeof makeRelayRuntime>
  let test = 0

  beforeAll(async () => {
    servers = await startServers()
    redis = new Redis(servers.redisUrl)
    nc = await connect({ servers: servers.natsUrl })
    jsm = await jetstreamManager(nc)
  })
  afterAll(async () => {
    await runtime?.dispose()
    await nc.close()
    await redis.quit()
    await servers.stop()
  })
  beforeEach(async () => {
    await runtime?.dispose()
    key = `events:${++test}`
    runtime = makeRelayRuntime(servers, key)
    await runtime.runPromise(MarketLog.use(() => Effect.void))
    await jsm.streams.purge("MARKET")
  })

  const append = (entries: ReadonlyArray<{ type: string; data: string }>) =>
    runtime.runPromise(EventStream.use((s) => s.append(entries)))
  const pending = async (group = "relay") => ((await redis.xpending(key, group)) as [number])[0]
  const logIds = () => logMessageIds(servers.natsUrl)
  const holds = async (n: number) => (await jsm.streams.info("MARKET")).state.messages >= n

  it("every entry reaches JetStream once, through batches in flight together, duplicates dropped", async () => {
    await append([...barEntries(5_000, 0, 0), ...barEntries(300, 0, 1_000)])
    const fiber = runtime.runFork(runRelay(relay("r1")))
    await eventually(() => holds(5_000), 30_000, "5,000 messages")
    await eventually(async () => (await pending()) === 0, 10_000, "nothing pending")
    await runtime.runPromise(Fiber.interrupt(fiber))
    const got = compareIds(await logIds(), barIds(5_000))
    expect(got).toEqual({ count: 5_000, doubled: [], missing: [], unexpected: [] })
  })

  it("tells of each batch's events, a part at a time, only once JetStream has them: every bar once, decoded", async () => {
    await append(barEntries(2_000, 0, 40_000))
    const timeline: string[] = []
    const onRelayed = (events: ReadonlyArray<LogFact>) => {
      for (const e of events) timeline.push(e._tag === "Bar" ? `told ${barEventId(e.bar)}` : "told ref")
    }
    const fiber = runtime.runFork(
      runRelay(relay("r1", { batchSize: 300, onRelayed })).pipe(Effect.provide(recordingPublishes(timeline))),
    )
    await eventually(
      async () => timeline.filter((t) => t.startsWith("told")).length >= 2_000,
      30_000,
      "2,000 told",
    )
    await runtime.runPromise(Fiber.interrupt(fiber))
    const told = timeline.filter((t) => t.startsWith("told")).map((t) => t.slice(5))
    expect(told.sort()).toEqual(barIds(2_000, 0, 40_000).sort())
    for (const id of told)
      expect(timeline.indexOf(`in the log ${id}`)).toBeLessThan(timeline.indexOf(`told ${id}`))
  })

  it("a relay killed between publish and ack re-publishes at its restart, and JetStream drops the duplicate", async () => {
    await append(barEntries(1_000, 0, 10_000))
    // What the killed relay got done: read its entries and published them, but never acked.
    const taken = await runtime.runPromise(
      EventStream.use((s) => s.ensureGroup("relay")).pipe(
        Effect.andThen(EventStream.use((s) => s.readNew("relay", "r1", 1_000, 100))),
      ),
    )
    const messages = taken.map((e) => {
      const routed = routeEntry(e)
      if (routed._tag === "Failure") throw new Error(routed.failure)
      return { ...routed.success, data: new TextEncoder().encode(routed.success.json) }
    })
    const first = await runtime.runPromise(MarketLog.use((log) => log.publish(messages)))
    expect(first.duplicates).toBe(0)
    expect(await pending()).toBe(1_000)
    const again = await runtime.runPromise(MarketLog.use((log) => log.publish(messages)))
    expect(again.duplicates).toBe(1_000)
    // The restart under the same name relays its own pending entries first.
    const fiber = runtime.runFork(runRelay(relay("r1")))
    await eventually(async () => (await pending()) === 0, 10_000, "its pending entries acked")
    await runtime.runPromise(Fiber.interrupt(fiber))
    expect(compareIds(await logIds(), barIds(1_000, 0, 10_000))).toMatchObject({ count: 1_000, doubled: [] })
  })

  it("entries a dead relay left unacked are taken over by another once idle for claimIdleMs", async () => {
    await append(barEntries(700, 0, 20_000))
    await runtime.runPromise(
      EventStream.use((s) =>
        s.ensureGroup("relay").pipe(Effect.andThen(s.readNew("relay", "dead", 700, 100))),
      ),
    )
    const fiber = runtime.runFork(runRelay(relay("r2", { claimIdleMs: 300 })))
    await eventually(async () => (await pending()) === 0, 10_000, "the dead relay's entries acked")
    await runtime.runPromise(Fiber.interrupt(fiber))
    expect(compareIds(await logIds(), barIds(700, 0, 20_000))).toMatchObject({
      count: 700,
      doubled: [],
      missing: [],
    })
  })

  it("two relays on one stream split the entries, and JetStream gets each exactly once", async () => {
    const [a, b] = [{ n: 0 }, { n: 0 }]
    const fibers = [
      runtime.runFork(runRelay(relay("a", { batchSize: 200 })).pipe(Effect.provide(countingAcks(a)))),
      runtime.runFork(runRelay(relay("b", { batchSize: 200 })).pipe(Effect.provide(countingAcks(b)))),
    ]
    for (let i = 0; i < 10; i++) {
      await append(barEntries(1_000, 0, 30_000 + i * 1_000))
      await new Promise((r) => setTimeout(r, 30))
    }
    await eventually(() => holds(10_000), 30_000, "10,000 messages")
    await eventually(async () => a.n + b.n === 10_000, 10_000, "every entry acked")
    await Promise.all(fibers.map((f) => runtime.runPromise(Fiber.interrupt(f))))
    expect(a.n).toBeGreaterThan(0)
    expect(b.n).toBeGreaterThan(0)
    const got = compareIds(await logIds(), barIds(10_000, 0, 30_000))
    expect(got).toEqual({ count: 10_000, doubled: [], missing: [], unexpected: [] })
  })

  it("a stopped relay finishes its batches in flight: nothing it read stays pending", async () => {
    await append(barEntries(40_000, 0, 50_000))
    const fiber = runtime.runFork(runRelay(relay("r1", { batchSize: 250 })))
    await eventually(() => holds(1_000), 30_000, "the relay under way")
    await runtime.runPromise(Fiber.interrupt(fiber))
    const [group] = (await redis.xinfo("GROUPS", key)) as Array<Array<string | number>>
    const read = Number(group![group!.indexOf("entries-read") + 1])
    expect(read).toBeLessThan(40_000)
    expect(await pending()).toBe(0)
    expect(compareIds(await logIds(), barIds(read, 0, 50_000))).toEqual({
      count: read,
      doubled: [],
      missing: [],
      unexpected: [],
    })
  })

  it("the relay trims what it relayed, and never an entry another group has not acked yet", async () => {
    await runtime.runPromise(EventStream.use((s) => s.ensureGroup("audit")))
    await append(barEntries(5_000, 0, 80_000))
    const fiber = runtime.runFork(runRelay(relay("r1", { trimEveryMs: 100 })))
    await eventually(() => holds(5_000), 30_000, "5,000 messages")
    await new Promise((r) => setTimeout(r, 300))
    // The audit group has read nothing yet: every entry stays.
    expect(await redis.xlen(key)).toBe(5_000)
    const read = (await redis.xreadgroup(
      "GROUP",
      "audit",
      "a1",
      "COUNT",
      2_500,
      "STREAMS",
      key,
      ">",
    )) as Array<[string, Array<[string, string[]]>]>
    const ids = read[0]![1].map(([id]) => id)
    await redis.xack(key, "audit", ...ids)
    await eventually(async () => (await redis.xlen(key)) < 5_000, 10_000, "a trim")
    await runtime.runPromise(Fiber.interrupt(fiber))
    const [first] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as Array<[string, string[]]>
    const length = await redis.xlen(key)
    // Trimming is by whole nodes (~), so a little more than the unacked part may stay, never less.
    expect(length).toBeGreaterThanOrEqual(2_500)
    expect(length).toBeLessThan(2_700)
    // Stream ids compare as (ms, seq) numbers, not as strings ("5-999" comes before "5-1000").
    const afterAcked = (await redis.xrange(key, `(${ids.at(-1)}`, "+", "COUNT", 1))[0]![0]
    expect(compareStreamIds(first![0], afterAcked)).toBeLessThanOrEqual(0)
    // With every group done, everything relayed goes.
    await redis.xgroup("DESTROY", key, "audit")
    await runtime.runPromise(EventStream.use((s) => s.trimRelayed))
    expect(await redis.xlen(key)).toBeLessThan(100)
  })
})
