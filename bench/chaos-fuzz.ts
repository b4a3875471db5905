/**
 * The bad-input pass: a good simulated day with bad ticks mixed in goes through `minutebar adapter` and
 * `minutebar up --no-simulator` (relay, projection, API) while bad Redis entries and JetStream messages are
 * injected; then bad API parameters. Every bad input must be refused with a reason and counted, the good
 * day must arrive whole, and the API must never answer 5xx.
 */
import { rmSync } from "node:fs"
import { join } from "node:path"
import { freePort } from "../src/adapters/process/free-port.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"
import { startServers, tempDir } from "../test/support/servers.ts"
import { waitOutput, waitQuiet, waitReplayDone } from "./chaos-drain.ts"
import { type ApiSummary, fixedCases, randomCases, sendAll } from "./chaos-fuzz-api.ts"
import {
  adapterRejections,
  type Rejections,
  redisRejections,
  type StoreEvidence,
  storeEvidence,
} from "./chaos-fuzz-evidence.ts"
import { type FuzzFeed, makeFuzzFeed } from "./chaos-fuzz-ticks.ts"
import { badEntries, badMessages, publishAll, xaddAll } from "./chaos-fuzz-wire.ts"
import { FAKE_XTQUANT } from "./chaos-pipeline.ts"
import { killedOnExit, Worker } from "./chaos-workers.ts"

export interface Pass {
  readonly sent: number
  readonly refused: Rejections
  /** The bad inputs no dead letter refers to: let through (ticks cannot be matched, so none are named). */
  readonly through: ReadonlyArray<string>
}

export interface FuzzReport {
  readonly ticks: Pass
  readonly entries: Pass
  readonly messages: Pass
  readonly store: StoreEvidence
  readonly api: ApiSummary
  readonly unexpectedExits: ReadonlyArray<string>
  /** Waits that timed out: a stage stuck on bad input (the evidence is read all the same). */
  readonly stalls: ReadonlyArray<string>
  /** Cases left out by CHAOS_FUZZ_SKIP. */
  readonly skipped: ReadonlyArray<string>
}

/** CHAOS_FUZZ_SKIP=a,b leaves out the cases whose description contains a or b (while a known bug is open). */
const skipList = (process.env.CHAOS_FUZZ_SKIP ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "")
const kept = <A extends { readonly why: string }>(cases: ReadonlyArray<A>, skipped: string[]): A[] =>
  cases.filter((c) => {
    const skip = skipList.some((s) => c.why.includes(s))
    if (skip) skipped.push(c.why)
    return !skip
  })

const DAY = "2024-03-05"
const STREAM = "minutebar:events"

/** A symbol the good day does not have, for wire garbage: whatever of it gets through is plainly extra. */
const absentSymbol = (feed: FuzzFeed): SymbolCode => {
  const have = new Set(feed.symbols)
  for (let n = 999; ; n++)
    if (!have.has(`${String(n).padStart(6, "0")}.SZ`)) return `${String(n).padStart(6, "0")}.SZ` as SymbolCode
}

const workers = (dir: string, feed: FuzzFeed, urls: { redisUrl: string; natsUrl: string }, http: number) => {
  const common = { DATA_DIR: dir, REDIS_URL: urls.redisUrl, NATS_URL: urls.natsUrl }
  const up = new Worker({
    name: "up",
    args: ["up", "--no-simulator"],
    // The feed replays a past day: "no new bar in trading hours" would be true, and beside the point.
    env: async () => ({
      ...common,
      HTTP_PORT: String(http),
      RELAY_CLAIM_IDLE_MS: "2000",
      HEALTH_FRESHNESS: "false",
    }),
  })
  const adapter = new Worker({
    name: "adapter",
    args: ["adapter"],
    env: async () => ({
      ...common,
      ADAPTER_STATE_DIR: join(dir, "adapter"),
      PYTHONPATH: FAKE_XTQUANT,
      MINUTEBAR_BRIDGE_CLOCK: "ticks",
      QMT_PYTHON: "python3",
      QMT_INCLUDE_BJ: "true",
      QMT_STALL_MS: "600000",
      FAKE_XTQUANT_TICKS: feed.file,
    }),
  })
  return { up, adapter }
}

// dead_letters keeps the first 64 kB of a payload.
const MAX_PAYLOAD = 64 * 1024

const pass = (sent: ReadonlyArray<{ why: string; ref: string }>, refused: Rejections): Pass => ({
  sent: sent.length,
  refused,
  through: sent.filter((s) => !refused.refs.has(s.ref)).map((s) => s.why),
})

type Servers = Awaited<ReturnType<typeof startServers>>

/** Bad wire input goes in while the adapter sends the good day, so both travel the pipeline together. */
const inject = async (servers: Servers, feed: FuzzFeed, skipped: string[], log: (line: string) => void) => {
  const absent = absentSymbol(feed)
  const entries = kept(badEntries(absent), skipped)
  const messages = kept(badMessages(absent), skipped)
  const ids = await xaddAll(servers.redisUrl, STREAM, entries)
  await publishAll(servers.natsUrl, messages)
  log(
    `fuzz: ${feed.bad.length} bad ticks, ${entries.length} Redis entries, ${messages.length} JetStream messages sent`,
  )
  return {
    entries: entries.map((e, i) => ({ why: e.why, ref: ids[i]! })),
    messages: messages.map((m) => ({ why: m.why, ref: m.payload.slice(0, MAX_PAYLOAD) })),
  }
}

/** Waits for the good day to get through; a stage stuck on bad input is a finding, not the end of the pass. */
const settle = async (servers: Servers, feed: FuzzFeed, adapter: Worker, log: (line: string) => void) => {
  const stalls: string[] = []
  await waitReplayDone(adapter, 120_000).catch((e: Error) => stalls.push(e.message.split("\n")[0]!))
  const quiet = { ...servers, stream: STREAM, group: "relay", durable: "projection", timeoutMs: 15_000 }
  await waitQuiet({ ...quiet, bars1m: feed.truth.length }, log).catch((e: Error) => stalls.push(e.message))
  return stalls
}

export const runFuzz = async (seed: number, log: (line: string) => void): Promise<FuzzReport> => {
  const dir = tempDir("chaos-fuzz")
  const skipped: string[] = []
  const feed = makeFuzzFeed(seed, 20, join(dir, "ticks.ndjson"), (bad) => kept(bad, skipped))
  const servers = killedOnExit(await startServers())
  const http = await freePort()
  const { up, adapter } = workers(dir, feed, servers, http)
  try {
    await up.start()
    await waitOutput(up, "minutebar is up", 60_000)
    await adapter.start()
    const sent = await inject(servers, feed, skipped, log)
    const stalls = await settle(servers, feed, adapter, log)
    const k = feed.truth[0]!.symbol
    const api = await sendAll(`http://127.0.0.1:${http}`, [...fixedCases(k), ...randomCases(seed, 400, k)])
    log(`fuzz: ${api.requests} API requests sent`)
    const ticks = adapterRejections(join(dir, "adapter"), adapter.output())
    const entries = await redisRejections(servers.redisUrl, STREAM)
    for (const w of [up, adapter])
      if ((await w.stop("SIGTERM", 10_000)) !== 0)
        w.unexpectedExits.push(`${w.spec.name} did not stop with 0`)
    const store = await storeEvidence(join(dir, "clickhouse"), feed.truth, DAY, feed.symbols)
    return {
      ticks: { sent: feed.bad.length, refused: ticks, through: [] },
      entries: pass(sent.entries, entries),
      messages: pass(sent.messages, store.projection),
      store,
      api,
      unexpectedExits: [...up.unexpectedExits, ...adapter.unexpectedExits],
      stalls,
      skipped,
    }
  } catch (e) {
    for (const w of [up, adapter]) log(`--- ${w.spec.name} output (tail) ---\n${w.output().slice(-2_000)}`)
    throw e
  } finally {
    for (const w of [up, adapter]) await w.stop("SIGKILL")
    await servers.stop()
    if (process.env.CHAOS_KEEP === undefined) rmSync(dir, { recursive: true, force: true })
    else log(`fuzz: kept ${dir}`)
  }
}
