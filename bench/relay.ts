/**
 * Relay benchmark: how fast a backlog of bars in the Redis stream reaches JetStream through the relay, next
 * to the raw `js.publish` rate of one process measured in the same run (the client-side ceiling STACK.md
 * names). Sections run in order on the same private servers; each returns its JSON fields. Progress lines,
 * then the merged JSON object as the last line.
 *
 * BENCH_BARS (default 200,000), BENCH_RUNS (3, medians reported), BENCH_BATCH (1,000), BENCH_IN_FLIGHT (4).
 */
import { jetstream } from "@nats-io/jetstream"
import { Effect, Fiber } from "effect"
import { MarketLog } from "../src/adapters/nats/market-log.ts"
import { routeEntry } from "../src/adapters/redis/event-entry.ts"
import { runRelay } from "../src/pipelines/relay.ts"
import {
  type BenchContext,
  barEntries,
  median,
  openBench,
  perSecond,
  prefill,
  relayRuntime,
  whenLogHolds,
} from "./relay-fixture.ts"
import { replaySection } from "./relay-replay.ts"

const BARS = Number(process.env.BENCH_BARS ?? 200_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000)
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4)

type Section = (ctx: BenchContext) => Promise<Record<string, number>>

const encoder = new TextEncoder()

/** The messages the relay would publish for these entries (subject, id, bytes). */
const messagesOf = (entries: ReadonlyArray<{ type: string; data: string }>, idPrefix: string) =>
  entries.map((fields, i) => {
    const routed = routeEntry({ id: String(i), fields })
    if (routed._tag === "Failure") throw new Error(routed.failure)
    return {
      subject: routed.success.subject,
      id: idPrefix + routed.success.id,
      data: encoder.encode(fields.data),
    }
  })

/** A backlog of BARS entries drained by one relay: time from its start until JetStream holds them all. */
const relayOnce = async (ctx: BenchContext, run: number): Promise<number> => {
  const key = `bench:relay:${run}`
  await prefill(ctx.redis, key, barEntries(BARS, run))
  await ctx.purgeLog()
  const runtime = relayRuntime(ctx, key)
  await runtime.runPromise(Effect.void)
  const t0 = performance.now()
  const fiber = runtime.runFork(
    runRelay({
      group: "relay",
      consumer: "bench",
      batchSize: BATCH,
      blockMs: 100,
      claimIdleMs: 30_000,
      inFlight: IN_FLIGHT,
    }),
  )
  const t1 = await whenLogHolds(ctx, BARS)
  await runtime.runPromise(Fiber.interrupt(fiber))
  await runtime.dispose()
  await ctx.redis.del(key)
  return perSecond(BARS, t1 - t0)
}

/** Raw `js.publish` with msgID, the same payloads and the same number of messages in flight. */
const jsPublishOnce = async (ctx: BenchContext, run: number): Promise<number> => {
  const messages = messagesOf(barEntries(BARS, run), `js${run}:`)
  await ctx.purgeLog()
  const js = jetstream(ctx.nc, { timeout: 30_000 })
  let next = 0
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++]!
      await js.publish(m.subject, m.data, { msgID: m.id })
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: BATCH * IN_FLIGHT }, worker))
  return perSecond(BARS, performance.now() - t0)
}

/** The relay's own publisher (one reply subscription for all PubAcks) without Redis: its ceiling. */
const publisherOnce = async (ctx: BenchContext, run: number): Promise<number> => {
  const messages = messagesOf(barEntries(BARS, run), `pub${run}:`)
  await ctx.purgeLog()
  const runtime = relayRuntime(ctx, "bench:unused")
  const batches = Array.from({ length: Math.ceil(messages.length / BATCH) }, (_, i) =>
    messages.slice(i * BATCH, (i + 1) * BATCH),
  )
  await runtime.runPromise(Effect.void)
  const t0 = performance.now()
  await runtime.runPromise(
    Effect.forEach(batches, (batch) => MarketLog.use((log) => log.publish(batch)), {
      concurrency: IN_FLIGHT,
    }),
  )
  const ms = performance.now() - t0
  await runtime.dispose()
  return perSecond(BARS, ms)
}

const relaySection: Section = async (ctx) => {
  console.log(
    `relay: ${BARS.toLocaleString()} bars x ${RUNS} runs, batch ${BATCH}, ${IN_FLIGHT} batches in flight`,
  )
  const [relay, ceiling, publisher]: number[][] = [[], [], []]
  for (let run = 0; run < RUNS; run++) {
    ceiling.push(await jsPublishOnce(ctx, run))
    publisher.push(await publisherOnce(ctx, run))
    relay.push(await relayOnce(ctx, run))
    console.log(
      `run ${run + 1}: relay ${relay[run]!.toLocaleString()} bars/s, js.publish ${ceiling[run]!.toLocaleString()} msg/s, ` +
        `relay publisher alone ${publisher[run]!.toLocaleString()} msg/s`,
    )
  }
  const [r, c, p] = [median(relay), median(ceiling), median(publisher)]
  return {
    relay_bars_per_s: r,
    jetstream_publish_ceiling_per_s: c,
    relay_to_ceiling_ratio: Math.round((r / c) * 100) / 100,
    relay_publisher_ceiling_per_s: p,
  }
}

// Later sections (e.g. replay) append themselves here; each sees the same servers.
const sections: Section[] = [relaySection, replaySection]

const ctx = await openBench()
const result: Record<string, number> = {}
try {
  for (const section of sections) Object.assign(result, await section(ctx))
} finally {
  await ctx.close()
}
console.log(JSON.stringify({ ...result, bars: BARS, runs: RUNS }))
