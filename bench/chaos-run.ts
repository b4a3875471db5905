/**
 * One chaos run: the simulated day replayed through adapter -> Redis -> relay -> JetStream -> projection ->
 * chDB while the schedule kills processes and restarts servers; then drained, stopped and judged.
 */
import { rmSync } from "node:fs"
import { join } from "node:path"
import { logMessageIds } from "../test/support/log-reader.ts"
import { startServers, tempDir } from "../test/support/servers.ts"
import { judge, type Verdict } from "./chaos-compare.ts"
import { waitOutput, waitQuiet, waitReplayDone } from "./chaos-drain.ts"
import { runSchedule } from "./chaos-faults.ts"
import { Pipeline } from "./chaos-pipeline.ts"
import { makeSchedule } from "./chaos-schedule.ts"
import { makeTruth, type Truth } from "./chaos-truth.ts"
import { killedOnExit } from "./chaos-workers.ts"

export interface ChaosMode {
  readonly name: "full" | "short"
  readonly symbols: number
  readonly tickIntervalMs: number
  /** Wall time the replay of the day takes without faults. */
  readonly replayMs: number
  readonly killsPerWorker: number
  readonly redisOutageMs: number
}

export interface ChaosReport {
  readonly verdict: Verdict
  readonly actions: ReadonlyArray<string>
  readonly kills: number
  readonly unexpectedExits: ReadonlyArray<string>
  readonly bars: number
  readonly ticks: number
}

const DAY = "2024-03-05"
const STREAM = "minutebar:events"
const seconds = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`

type Servers = Awaited<ReturnType<typeof startServers>>

/** From the feed's first ticks: the seeded faults, then the waits until everything went through. */
const provoke = async (
  mode: ChaosMode,
  seed: number,
  p: Pipeline,
  servers: Servers,
  truth: Truth,
  log: Log,
) => {
  // The schedule's clock starts with the feed: loading the day takes the stand-in some seconds.
  await waitOutput(p.workers.adapter, "reference data of", 60_000)
  const t0 = Date.now()
  const { replayMs, killsPerWorker, redisOutageMs } = mode
  const steps = makeSchedule({ seed, windowMs: replayMs, killsPerWorker, redisOutageMs })
  const actions = await runSchedule(steps, { pipeline: p, redis: servers.redis, nats: servers.nats, log }, t0)
  log(`chaos: schedule done after ${seconds(t0)}; draining`)
  await waitReplayDone(p.workers.adapter, replayMs + 120_000)
  log(`chaos: the feed finished its replay after ${seconds(t0)}`)
  const bars1m = truth.bars["1m"].length
  const where = { redisUrl: servers.redisUrl, natsUrl: servers.natsUrl, stream: STREAM }
  await waitQuiet({ ...where, group: "relay", durable: "projection", bars1m, timeoutMs: 120_000 }, log)
  log(`chaos: drained after ${seconds(t0)}; judging`)
  return actions
}

/** Stops the pipeline, projection first: SIGTERM writes and acks its batch in flight, then chDB is free. */
const stopAll = async (p: Pipeline) => {
  await p.stopSupervising()
  for (const name of ["projection", "relay", "adapter"] as const) {
    const code = await p.workers[name].stop("SIGTERM")
    if (code !== 0) p.workers[name].unexpectedExits.push(`${name} stopped with exit code ${code}`)
  }
}

type Log = (line: string) => void

export const runChaos = async (mode: ChaosMode, seed: number, log: Log): Promise<ChaosReport> => {
  const dir = tempDir("chaos")
  const truth = makeTruth(
    { seed, day: DAY, symbols: mode.symbols, tickIntervalMs: mode.tickIntervalMs },
    join(dir, "ticks.ndjson"),
  )
  const speed = (truth.lastMs - truth.firstMs) / mode.replayMs
  log(
    `chaos: ${truth.ticks} ticks of ${mode.symbols} symbols -> ${truth.bars["1m"].length} 1m bars; replay at ${speed.toFixed(0)}x`,
  )
  const servers = killedOnExit(await startServers({ appendfsync: "always" }))
  const pipeline = new Pipeline({ dir, redisUrl: servers.redisUrl, natsUrl: servers.natsUrl, truth, speed })
  const workers = Object.values(pipeline.workers)
  try {
    await pipeline.start()
    const actions = await provoke(mode, seed, pipeline, servers, truth, log)
    await stopAll(pipeline)
    const verdict = await judge(join(dir, "clickhouse"), truth, await logMessageIds(servers.natsUrl))
    const unexpectedExits = workers.flatMap((x) => x.unexpectedExits)
    return {
      verdict,
      actions,
      kills: pipeline.kills,
      unexpectedExits,
      bars: truth.bars["1m"].length,
      ticks: truth.ticks,
    }
  } catch (e) {
    for (const w of workers) log(`--- ${w.spec.name} output (tail) ---\n${w.output().slice(-2_000)}`)
    throw e
  } finally {
    await pipeline.stopSupervising()
    for (const w of workers) await w.stop("SIGKILL")
    await servers.stop()
    if (process.env.CHAOS_KEEP === undefined) rmSync(dir, { recursive: true, force: true })
    else log(`chaos: kept ${dir}`)
  }
}
