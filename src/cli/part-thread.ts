/**
 * A part of `minutebar up` on a thread of its own: the simulated QMT source and the relay. On one JS thread
 * the source and the relay kept it busy and the projection starved until the day was through; on their own
 * threads the three run side by side, as they do as separate processes in production. The thread's counters
 * are added to this process's /metrics. Closing the scope asks the part to stop (it finishes its batches in
 * flight, as when it runs alone) and waits for it; a part that ends by itself with an error fails this.
 */
import { Worker } from "node:worker_threads"
import { Effect, Metric } from "effect"
import type { LogFact } from "../domain/market-event.ts"
import type { SimulationPlan } from "../pipelines/simulation-plan.ts"
import { bridgedCounter, type CounterSample, counterKey } from "./part-thread-counters.ts"
import type { CpuUsage } from "./thread-cpu.ts"

export type ThreadPart =
  | {
      readonly part: "relay"
      readonly redisUrl: string
      readonly natsUrl: string
      /** Post each relayed batch's events to this thread. */
      readonly postRelayed?: boolean
    }
  | { readonly part: "source"; readonly redisUrl: string; readonly plan: SimulationPlan }

/** What a part's thread posts: its counters now and then, what it relayed (when asked), and how it ended. */
export type ThreadReport =
  | { readonly counters: ReadonlyArray<CounterSample>; readonly cpu: CpuUsage | undefined }
  | { readonly relayed: ReadonlyArray<LogFact> }
  | { readonly ended: "done" | "stopped" | "failed"; readonly error?: string }

class PartThreadFailed extends Error {
  override readonly name = "PartThreadFailed"
}

const STOP_WAIT_MS = 30_000

export interface ThreadListeners {
  /** Each batch a relay with `postRelayed` relayed. */
  readonly onRelayed?: (events: ReadonlyArray<LogFact>) => void
  /** The thread's own CPU usage, with each report of its counters. */
  readonly onCpu?: (usage: CpuUsage) => void
}

/** Runs the part until it ends (a finished source) or the scope closes; fails if the part fails. */
export const runOnThread = (part: ThreadPart, listeners: ThreadListeners = {}) =>
  Effect.gen(function* () {
    const seen = new Map<string, number>()
    const addCounters = (samples: ReadonlyArray<CounterSample>) => {
      for (const s of samples) {
        const key = counterKey(s)
        const delta = s.count - (seen.get(key) ?? 0)
        seen.set(key, s.count)
        const counter = bridgedCounter(s)
        if (delta > 0 && counter !== undefined) Effect.runSync(Metric.update(counter, delta))
      }
    }
    let ended: ThreadReport | undefined
    let exited = false
    const worker = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const w = new Worker(new URL("./part-thread-entry.ts", import.meta.url), { workerData: part })
        w.on("message", (m: ThreadReport) => {
          if ("counters" in m) {
            addCounters(m.counters)
            if (m.cpu !== undefined) listeners.onCpu?.(m.cpu)
          } else if ("relayed" in m) listeners.onRelayed?.(m.relayed)
          else ended = m
        })
        w.once("exit", () => (exited = true))
        return w
      }),
      (w) =>
        Effect.callback<void>((resume) => {
          if (exited) return resume(Effect.void)
          const timer = setTimeout(() => void w.terminate(), STOP_WAIT_MS)
          w.once("exit", () => {
            clearTimeout(timer)
            resume(Effect.void)
          })
          w.postMessage("stop")
        }),
    )
    return yield* Effect.callback<void, PartThreadFailed>((resume) => {
      const fail = (why: string) =>
        resume(Effect.fail(new PartThreadFailed(`the ${part.part} thread stopped: ${why}`)))
      worker.once("error", (e) => fail(e.message))
      worker.once("exit", (code) => {
        if (ended !== undefined && "ended" in ended && ended.ended === "failed") fail(ended.error ?? "failed")
        else if (ended === undefined) fail(`exit code ${code}`)
        else resume(Effect.void)
      })
    })
  }).pipe(Effect.scoped)
