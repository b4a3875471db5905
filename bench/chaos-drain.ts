/**
 * The end of a chaos run: waits, each wait bounded and saying what it waited for, until the feed has replayed
 * everything, the adapter has sent it, the relay has drained the Redis group and the projection has acked
 * the whole log, and nothing has moved for a few seconds.
 */
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Redis } from "ioredis"
import { consumerState } from "../test/support/consumer-drained.ts"
import type { Worker } from "./chaos-workers.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Until the running worker's current output says `text`. */
export const waitOutput = async (w: Worker, text: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(w.running && w.current.includes(text))) {
    if (Date.now() > deadline)
      throw new Error(
        `${w.spec.name} did not say "${text}" in ${timeoutMs} ms; its output:\n${w.output().slice(-3_000)}`,
      )
    await sleep(250)
  }
}

/** Until the adapter's current stand-in feed says its file is done. */
export const waitReplayDone = (adapter: Worker, timeoutMs: number): Promise<void> =>
  waitOutput(adapter, "replay done", timeoutMs)

export interface QuietOptions {
  readonly redisUrl: string
  readonly natsUrl: string
  readonly stream: string
  readonly group: string
  readonly durable: string
  /** 1m bar messages the log must hold at least (each bar once, more with revisions). */
  readonly bars1m: number
  readonly timeoutMs: number
}

const field = (list: ReadonlyArray<unknown>, name: string): unknown => list[list.indexOf(name) + 1]

/** What the Redis stream and its relay group show: drained when the group has read and acked every entry. */
const redisSide = async (redis: Redis, o: QuietOptions) => {
  const info = (await redis.xinfo("STREAM", o.stream)) as unknown[]
  const groups = (await redis.xinfo("GROUPS", o.stream)) as unknown[][]
  const group = groups.find((g) => field(g, "name") === o.group) ?? []
  const last = String(field(info, "last-generated-id"))
  const drained = field(group, "pending") === 0 && field(group, "last-delivered-id") === last
  return { last, drained }
}

const logSide = async (nc: Awaited<ReturnType<typeof connect>>) => {
  const jsm = await jetstreamManager(nc)
  const info = await jsm.streams.info("MARKET", { subjects_filter: "bars.1m.>" })
  const bars = Object.values(info.state.subjects ?? {}).reduce((n, c) => n + c, 0)
  return { lastSeq: info.state.last_seq, bars }
}

/** Until every stage is drained and the stream ends have not moved for `stableMs`. */
export const waitQuiet = async (
  o: QuietOptions,
  log: (line: string) => void,
  stableMs = 3_000,
): Promise<void> => {
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => 200 })
  redis.on("error", () => {})
  const nc = await connect({ servers: o.natsUrl, name: "chaos-drain", maxReconnectAttempts: -1 })
  const deadline = Date.now() + o.timeoutMs
  let seen = ""
  let since = Date.now()
  let state: unknown
  let shown = Date.now()
  try {
    for (;;) {
      const r = await redisSide(redis, o).catch((e: Error) => ({ last: e.message, drained: false }))
      const l = await logSide(nc).catch(() => ({ lastSeq: -1, bars: 0 }))
      const c = await consumerState(o.natsUrl, o.durable).catch(() => undefined)
      const done = r.drained && l.bars >= o.bars1m && c?.pending === 0 && c.ackPending === 0
      state = { redis: r, log: l, projection: c }
      const now = `${r.last} ${l.lastSeq}`
      if (now !== seen || !done) [seen, since] = [now, Date.now()]
      if (done && Date.now() - since >= stableMs) return
      if (Date.now() - shown >= 10_000)
        [shown] = [Date.now(), log(`chaos: draining: ${JSON.stringify(state)}`)]
      if (Date.now() > deadline)
        throw new Error(`the pipeline did not drain in ${o.timeoutMs} ms: ${JSON.stringify(state)}`)
      await sleep(500)
    }
  } finally {
    redis.disconnect()
    await nc.close()
  }
}
