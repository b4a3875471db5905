/**
 * Gauges /metrics adds to the counters, read at scrape time: events/s per stage (from the counters between
 * scrapes), the log consumers' pending messages, the Redis stream's length, dead letters kept in ClickHouse and
 * how far the newest bar is behind the clock. A source that fails (a server down) is left out of that scrape.
 */
import { Effect, Metric } from "effect"
import type { ClickHouse } from "../adapters/clickhouse/clickhouse.ts"
import type { EventStream } from "../adapters/redis/event-stream.ts"
import { parseShanghai } from "../domain/market-time.ts"
import type { LogTail } from "../pipelines/log-tail.ts"
import type { Newest } from "./latest-bars.ts"

export interface GaugeSample {
  readonly name: string
  readonly help: string
  /** A cumulative value read at scrape time is a counter (default: gauge). */
  readonly type?: "gauge" | "counter"
  readonly labels?: Readonly<Record<string, string>>
  readonly value: number
}

export type GaugeSource = () => Promise<ReadonlyArray<GaugeSample>>

const stageCounts = async (): Promise<Map<string, number>> => {
  const counts = new Map<string, number>()
  for (const s of await Effect.runPromise(Metric.snapshot))
    if (s.id === "minutebar_events_total" && s.type === "Counter")
      counts.set(String(s.attributes?.stage ?? ""), Number(s.state.count))
  return counts
}

/** Events/s per stage over the time since the previous scrape (at least a second; the first: since start). */
export const eventRates = (startedAt = Date.now()): GaugeSource => {
  let last = { at: startedAt, counts: new Map<string, number>(), rates: new Map<string, number>() }
  return async () => {
    const now = Date.now()
    // Rates over less than a second are noise: keep the last ones, except at the first scrape.
    if (now - last.at >= 1_000 || (last.rates.size === 0 && now > last.at)) {
      const counts = await stageCounts()
      const rates = new Map<string, number>()
      for (const [stage, n] of counts)
        rates.set(stage, Math.round(((n - (last.counts.get(stage) ?? 0)) * 1_000) / (now - last.at)))
      last = { at: now, counts, rates }
    }
    return [...last.rates].map(([stage, value]) => ({
      name: "minutebar_events_per_second",
      help: "Events a stage handed on per second, between the last two scrapes",
      labels: { stage },
      value,
    }))
  }
}

export const consumerPending =
  (tail: LogTail["Service"], named: (durable: string) => boolean): GaugeSource =>
  async () =>
    (await Effect.runPromise(tail.consumerLags(named))).flatMap((lag) => {
      const labels = { consumer: lag.consumer }
      return [
        {
          name: "minutebar_consumer_pending",
          help: "Log messages not yet delivered to the consumer",
          labels,
          value: lag.pending,
        },
        {
          name: "minutebar_consumer_ack_pending",
          help: "Log messages delivered, not yet acked",
          labels,
          value: lag.ackPending,
        },
      ]
    })

export const redisStreamLength =
  (redis: EventStream["Service"]): GaugeSource =>
  async () => [
    {
      name: "minutebar_redis_stream_length",
      help: "Entries in the Redis bridge stream (trimmed only below what the relay has taken)",
      labels: { stream: redis.stream },
      value: await Effect.runPromise(redis.length),
    },
  ]

export const storedDeadLetters =
  (ch: ClickHouse["Service"]): GaugeSource =>
  async () =>
    (
      await Effect.runPromise(
        ch.query<{ stage: string; n: number }>("SELECT stage, count() AS n FROM dead_letters GROUP BY stage"),
      )
    ).map(({ stage, n }) => ({
      name: "minutebar_dead_letters_stored",
      help: "Dead letters kept in ClickHouse (90 days)",
      labels: { stage },
      value: n,
    }))

/**
 * Always served, so an alert on it also fires when no bar has come at all: before the first bar the API has,
 * it is the time since this process started, a lower bound of the real lag.
 */
export const newestBarLag =
  (newest: () => Newest | undefined, startedAt = Date.now()): GaugeSource =>
  async () => {
    const n = newest()
    const help =
      "Seconds between the exchange clock now and the end of the newest 1m bar the API has (with none yet: since the process started)"
    const since = n === undefined ? startedAt : parseShanghai(n.frame)
    return [{ name: "minutebar_newest_bar_lag_seconds", help, value: (Date.now() - since) / 1000 }]
  }

const escape = (v: string): string =>
  v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")

/** Prometheus text of the samples of all sources, each family under one HELP and TYPE. */
export const renderGauges = async (sources: ReadonlyArray<GaugeSource>): Promise<string> => {
  const results = await Promise.all(sources.map((s) => s().catch(() => [] as GaugeSample[])))
  const families = new Map<string, string[]>()
  for (const s of results.flat()) {
    const lines = families.get(s.name) ?? [
      `# HELP ${s.name} ${s.help}`,
      `# TYPE ${s.name} ${s.type ?? "gauge"}`,
    ]
    families.set(s.name, lines)
    const labels = Object.entries(s.labels ?? {}).map(([k, v]) => `${k}="${escape(v)}"`)
    lines.push(`${s.name}${labels.length === 0 ? "" : `{${labels.join(",")}}`} ${s.value}`)
  }
  return [...families.values()]
    .flat()
    .map((l) => `${l}\n`)
    .join("")
}
