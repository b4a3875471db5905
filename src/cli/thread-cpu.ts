/**
 * CPU seconds per thread of `minutebar up`, where the parts that run as processes of their own in production
 * share one: the main thread (API, latest-bar view, projection), the relay and source threads (each reports
 * its own with its counters), and the rest of the process (chDB's query and merge threads, V8's GC helpers,
 * libuv's pool). Per-process CPU alone cannot tell which part a busy `up` spends its cores on.
 */
import type { GaugeSample, GaugeSource } from "../http/pipeline-gauges.ts"

export interface CpuUsage {
  readonly user: number
  readonly system: number
}

/** This thread's CPU; undefined on a Node without `process.threadCpuUsage` (23.6–23.8 run minutebar, lack it). */
export const ownThreadCpu = (): CpuUsage | undefined =>
  typeof process.threadCpuUsage === "function" ? process.threadCpuUsage() : undefined

const seconds = (u: CpuUsage) => (u.user + u.system) / 1e6
const HELP = "CPU seconds used by each thread of this process (native: chDB, V8's GC helpers, libuv's pool)"

export const makeThreadCpu = () => {
  const parts = new Map<string, number>()
  const sample = (thread: string, value: number): GaugeSample => ({
    name: "minutebar_cpu_seconds_total",
    help: HELP,
    type: "counter",
    labels: { thread },
    value: Math.round(value * 1_000) / 1_000,
  })
  return {
    /** A part thread's own usage, as it last reported it. */
    record: (part: string, usage: CpuUsage) => void parts.set(part, seconds(usage)),
    gauge: (async () => {
      const own = ownThreadCpu()
      if (own === undefined) return []
      const main = seconds(own)
      const ofParts = [...parts.values()].reduce((a, b) => a + b, 0)
      // Part threads report every 250 ms: the remainder is never let fall below 0 by a report's lag.
      const native = Math.max(0, seconds(process.cpuUsage()) - main - ofParts)
      return [
        sample("main", main),
        ...[...parts].map(([part, s]) => sample(part, s)),
        sample("native", native),
      ]
    }) satisfies GaugeSource,
  }
}
