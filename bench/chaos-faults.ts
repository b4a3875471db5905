/**
 * Carries out a chaos schedule against the running pipeline and servers, step by step at its offsets, and
 * prints each action with the time since the replay began.
 */
import type { ChildServer } from "../src/adapters/process/child-server.ts"
import type { Pipeline } from "./chaos-pipeline.ts"
import { describeFault, type Fault, type Step } from "./chaos-schedule.ts"

export interface FaultTargets {
  readonly pipeline: Pipeline
  readonly redis: ChildServer
  readonly nats: ChildServer
  readonly log: (line: string) => void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const apply = async (f: Fault, t: FaultTargets): Promise<void> => {
  switch (f.kind) {
    case "kill":
      return t.pipeline.kill(f.worker, f.downMs)
    case "restart-nats":
      return t.nats.restart()
    case "restart-redis":
      await t.redis.stop("SIGKILL")
      await t.redis.start()
      return
    case "redis-down":
      return t.redis.stop()
    case "redis-up":
      await t.redis.start()
      return
  }
}

/** Runs every step at its offset from `t0` (a step taking long delays the next, never skips it). */
export const runSchedule = async (steps: ReadonlyArray<Step>, t: FaultTargets, t0: number) => {
  const actions: string[] = []
  for (const step of steps) {
    await sleep(step.atMs - (Date.now() - t0))
    const line = `[+${((Date.now() - t0) / 1000).toFixed(1)} s] ${describeFault(step.fault)}`
    t.log(`chaos: ${line}`)
    actions.push(line)
    await apply(step.fault, t)
  }
  return actions
}
