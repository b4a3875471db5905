/**
 * The seeded chaos schedule: when each fault happens, as offsets from the start of the replay. The same seed
 * and mode give the same schedule, so a failing run can be replayed (CHAOS_SEED).
 */
import { makeRng } from "../src/adapters/simulator/prng.ts"

export type Fault =
  | { readonly kind: "kill"; readonly worker: "adapter" | "relay" | "projection"; readonly downMs: number }
  | { readonly kind: "restart-nats" }
  | { readonly kind: "restart-redis" }
  | { readonly kind: "redis-down"; readonly forMs: number }
  | { readonly kind: "redis-up" }

export interface Step {
  readonly atMs: number
  readonly fault: Fault
}

export interface ScheduleOptions {
  readonly seed: number
  /** Faults happen within [0, windowMs): while the replay runs. */
  readonly windowMs: number
  readonly killsPerWorker: number
  readonly redisOutageMs: number
}

const WORKERS = ["adapter", "relay", "projection"] as const

export const makeSchedule = (o: ScheduleOptions): Step[] => {
  const rng = makeRng()
  rng.reseed(o.seed, 0, 0)
  const at = (from: number, to: number) => Math.round((from + rng.unit() * (to - from)) * o.windowMs)
  const steps: Step[] = []
  for (const worker of WORKERS)
    for (let i = 0; i < o.killsPerWorker; i++)
      steps.push({ atMs: at(0.03, 0.97), fault: { kind: "kill", worker, downMs: 200 + rng.unit() * 1_800 } })
  steps.push({ atMs: at(0.1, 0.9), fault: { kind: "restart-nats" } })
  // The outage and the Redis restart are kept apart: a restart inside the outage would end it early.
  const outageAt = at(0.15, 0.5)
  steps.push({ atMs: outageAt, fault: { kind: "redis-down", forMs: o.redisOutageMs } })
  steps.push({ atMs: outageAt + o.redisOutageMs, fault: { kind: "redis-up" } })
  const upAt = outageAt + o.redisOutageMs
  const restartAt = Math.max(at(Math.min(upAt / o.windowMs + 0.05, 0.95), 0.97), upAt + 2_000)
  steps.push({ atMs: restartAt, fault: { kind: "restart-redis" } })
  return steps.sort((a, b) => a.atMs - b.atMs)
}

export const describeFault = (f: Fault): string => {
  switch (f.kind) {
    case "kill":
      return `SIGKILL ${f.worker} (restarted after ${Math.round(f.downMs)} ms)`
    case "restart-nats":
      return "restart nats-server (SIGTERM, start)"
    case "restart-redis":
      return "restart redis-server (SIGKILL, start: AOF with appendfsync always)"
    case "redis-down":
      return `stop redis-server for ${Math.round(f.forMs / 1000)} s`
    case "redis-up":
      return "start redis-server again"
  }
}
