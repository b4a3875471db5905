import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { NatsClient } from "../../src/adapters/nats/nats-client.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import type { LogFact } from "../../src/domain/market-event.ts"
import { LogTail } from "../../src/pipelines/log-tail.ts"
import { makeRelayedFacts } from "../../src/pipelines/relayed-facts.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { type LogRuntime, logRuntime, minuteBars, publish } from "./client-fixture.ts"

const events = (bars: ReadonlyArray<BarClosed>): LogFact[] => bars.map((bar) => ({ _tag: "Bar", bar }))
const named = (facts: ReadonlyArray<LogFact>) =>
  facts.map((f) => (f._tag === "Bar" ? `${f.bar.symbol} ${f.bar.frame}` : `ref ${f.ref.symbol}`)).sort()

describe("the log tail beside the relay in the same process", () => {
  let servers: TestServers
  let log: LogRuntime
  beforeAll(async () => {
    servers = await startServers()
    log = logRuntime(servers)
  })
  afterAll(async () => {
    await log.dispose()
    await servers.stop()
  })

  it("reads only the newest fact of every subject from the log, then takes new facts as the relay publishes them", async () => {
    // Two minutes of three symbols are in the log before the tail starts: the newest of each is the second.
    const before = minuteBars(3, 2)
    await publish(log, before)
    const later = minuteBars(3, 1, 2)
    const seen: LogFact[] = []
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const relayed = yield* makeRelayedFacts
          const context = yield* Layer.build(
            LogTail.layer({ relayed }).pipe(
              Layer.provide(NatsClient.layer({ url: Redacted.make(servers.natsUrl), stream: "MARKET" })),
            ),
          )
          const tail = Context.get(context, LogTail)
          yield* Effect.forkScoped(Stream.runForEach(tail.facts, (f) => Effect.sync(() => seen.push(f))))
          yield* Effect.promise(() => eventually(async () => seen.length >= 3, 10_000, "the newest facts"))
          // New messages in the log are the relay's to hand on, not read a second time.
          yield* Effect.promise(() => publish(log, later))
          yield* Effect.sleep("500 millis")
          expect(named(seen)).toEqual(named(events(before.slice(3))))
          relayed.offer(events(later))
          yield* Effect.promise(() => eventually(async () => seen.length >= 6, 10_000, "the relayed facts"))
        }),
      ),
    )
    expect(named(seen)).toEqual(named(events([...before.slice(3), ...later])))
  })

  it("starts on an empty log without waiting for a newest fact that will never come", async () => {
    const seen: LogFact[] = []
    const empty = await startServers()
    try {
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const relayed = yield* makeRelayedFacts
            const setup = logRuntime(empty)
            yield* Effect.promise(() => publish(setup, []))
            const context = yield* Layer.build(
              LogTail.layer({ relayed }).pipe(
                Layer.provide(NatsClient.layer({ url: Redacted.make(empty.natsUrl), stream: "MARKET" })),
              ),
            )
            yield* Effect.forkScoped(
              Stream.runForEach(Context.get(context, LogTail).facts, (f) => Effect.sync(() => seen.push(f))),
            )
            yield* Effect.sleep("300 millis")
            relayed.offer(events(minuteBars(2, 1)))
            yield* Effect.promise(() => eventually(async () => seen.length >= 2, 10_000, "the relayed facts"))
            yield* Effect.promise(() => setup.dispose())
          }),
        ),
      )
    } finally {
      await empty.stop()
    }
    expect(seen).toHaveLength(2)
  })
})
