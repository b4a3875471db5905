/**
 * The thread side of part-thread.ts: runs one part (the simulated source or the relay) with its own Redis and
 * NATS connections, reports its counters every 250 ms and at its end, and stops when asked.
 */
import { parentPort, workerData } from "node:worker_threads"
import { Cause, Console, Effect, Exit, Fiber, Layer, Redacted } from "effect"
import { simulatedQuoteEvents } from "../adapters/simulator/simulated-quote-events.ts"
import { simulatedReferences } from "../adapters/simulator/simulated-references.ts"
import { loadSettings } from "../config/config-provider.ts"
import type { Settings } from "../config/settings.ts"
import { runBarsToRedis } from "../pipelines/bars-to-redis.ts"
import { runRelay } from "../pipelines/relay.ts"
import type { ThreadPart, ThreadReport } from "./part-thread.ts"
import { counterSamples } from "./part-thread-counters.ts"
import { relayOptions } from "./relay-options.ts"
import { natsLayer, redisLayer } from "./system-layer.ts"
import { ownThreadCpu } from "./thread-cpu.ts"

const part = workerData as ThreadPart
const port = parentPort!
const report = (r: ThreadReport) => port.postMessage(r)

const runPart = (s: Settings) => {
  const redis = { redisUrl: Redacted.make(part.redisUrl) }
  if (part.part === "relay")
    return runRelay({
      ...relayOptions(s),
      // Structured clone of the decoded events: cheaper for the receiving thread than decoding JSON again.
      ...(part.postRelayed ? { onRelayed: (relayed) => report({ relayed }) } : {}),
    }).pipe(
      Effect.provide(
        Layer.mergeAll(redisLayer(s, redis), natsLayer(s, { natsUrl: Redacted.make(part.natsUrl) })),
      ),
    )
  const { plan } = part
  return runBarsToRedis(
    simulatedQuoteEvents({
      seed: s.simSeed,
      day: plan.day,
      symbols: s.simSymbols,
      speed: plan.speed,
      from: plan.from,
    }),
    {
      graceMs: s.barGraceMs,
      references: simulatedReferences({ seed: s.simSeed, day: plan.day, symbols: s.simSymbols }),
    },
  ).pipe(
    Effect.tap(({ published }) =>
      Console.error(`simulated day ${plan.day} done: ${published} bars published`),
    ),
    Effect.provide(redisLayer(s, redis)),
  )
}

const fiber = Effect.runFork(Effect.flatMap(loadSettings, runPart))
/** The thread's counters and CPU so far: every 250 ms, and once more at its end. */
const reportUsage = () => report({ counters: counterSamples(), cpu: ownThreadCpu() })
const timer = setInterval(reportUsage, 250)
let stopping = false
port.on("message", (m) => {
  if (m !== "stop") return
  stopping = true
  Effect.runFork(Fiber.interrupt(fiber))
})
fiber.addObserver((exit) => {
  clearInterval(timer)
  reportUsage()
  if (Exit.isSuccess(exit)) report({ ended: "done" })
  else if (stopping) report({ ended: "stopped" })
  else {
    const error = Cause.squash(exit.cause)
    report({ ended: "failed", error: error instanceof Error ? error.message : String(error) })
  }
  port.close()
})
