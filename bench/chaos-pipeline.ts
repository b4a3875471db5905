/**
 * The three pipeline processes of a chaos run and their supervisor: a loop that starts again whichever is
 * down once its restart time has come (after a scheduled kill, or at once after an exit nobody caused).
 *
 * State: the workers and, per worker, when it may start again. Invariant: while the supervisor runs, a
 * stopped worker is started again at its restart time; after `stop` nothing is restarted.
 */
import { join, resolve } from "node:path"
import { loadAdapterState } from "../src/pipelines/adapter-state.ts"
import { firstLineAtOrAfter, type Truth } from "./chaos-truth.ts"
import { Worker } from "./chaos-workers.ts"

export interface PipelineOptions {
  readonly dir: string
  readonly redisUrl: string
  readonly natsUrl: string
  readonly truth: Truth
  /** Market seconds per wall second of the stand-in's replay. */
  readonly speed: number
}

export type WorkerName = "adapter" | "relay" | "projection"

export const FAKE_XTQUANT = resolve("test/fixtures/xtquant")

/**
 * Where a restarted feed begins: the first tick at or after the newest one the adapter's saved state has
 * applied. Every tick before it is in that state (the feed is delivered in time order and a state is always
 * a prefix of it); ticks at the same time the replay gate recognises. So, unlike live QMT (which sends only
 * current snapshots after a restart), nothing is skipped and the day's bars can equal the batch truth.
 */
const resumeLine = async (stateDir: string, times: Float64Array): Promise<number> => {
  const state = await loadAdapterState(stateDir)
  const applied = Object.values(state?.lastTicks ?? {}).map(([time]) => time)
  return applied.length === 0 ? 0 : firstLineAtOrAfter(times, Math.max(...applied))
}

const workerSpecs = (o: PipelineOptions) => {
  const stateDir = join(o.dir, "adapter")
  const common = { DATA_DIR: o.dir, REDIS_URL: o.redisUrl, NATS_URL: o.natsUrl }
  return {
    adapter: {
      name: "adapter",
      args: ["adapter"],
      env: async () => ({
        ...common,
        ADAPTER_STATE_DIR: stateDir,
        PYTHONPATH: FAKE_XTQUANT,
        MINUTEBAR_BRIDGE_CLOCK: "ticks",
        QMT_PYTHON: "python3",
        // The simulated market lists Beijing symbols too: without this they would have bars but no reference data.
        QMT_INCLUDE_BJ: "true",
        // The lunch break is silent at any replay speed: no stall restarts.
        QMT_STALL_MS: "600000",
        FAKE_XTQUANT_TICKS: o.truth.file,
        FAKE_XTQUANT_SPEED: String(o.speed),
        FAKE_XTQUANT_START_AT: String(await resumeLine(stateDir, o.truth.times)),
      }),
    },
    relay: {
      name: "relay",
      args: ["relay"],
      env: async () => ({ ...common, RELAY_CONSUMER: "relay-chaos", RELAY_CLAIM_IDLE_MS: "2000" }),
    },
    projection: {
      name: "projection",
      args: ["project"],
      // A killed projection's messages come back after the ack wait: keep it short, batches small.
      env: async () => ({
        ...common,
        CHDB_PATH: join(o.dir, "clickhouse"),
        PROJECTION_BATCH: "1000",
        PROJECTION_ACK_WAIT_MS: "2000",
      }),
    },
  } as const
}

export class Pipeline {
  readonly workers: Record<WorkerName, Worker>
  private readonly restartAt = new Map<WorkerName, number>()
  private timer: NodeJS.Timeout | undefined
  private busy = false

  constructor(o: PipelineOptions) {
    const specs = workerSpecs(o)
    this.workers = {
      adapter: new Worker({ ...specs.adapter, logFile: join(o.dir, "adapter.log") }),
      relay: new Worker({ ...specs.relay, logFile: join(o.dir, "relay.log") }),
      projection: new Worker({ ...specs.projection, logFile: join(o.dir, "projection.log") }),
    }
  }

  /** Starts every worker and the supervisor loop. */
  async start(): Promise<void> {
    for (const w of Object.values(this.workers)) await w.start()
    this.timer = setInterval(() => void this.tick(), 200)
  }

  /**
   * SIGKILL (once it runs again, if an earlier kill still has it down: every scheduled kill hits a live
   * process); the supervisor starts it again after `downMs`.
   */
  async kill(name: WorkerName, downMs: number): Promise<void> {
    const deadline = Date.now() + 15_000
    while (!this.workers[name].running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    this.restartAt.set(name, Date.now() + downMs)
    await this.workers[name].stop("SIGKILL")
  }

  private async tick(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      for (const [name, w] of Object.entries(this.workers) as Array<[WorkerName, Worker]>)
        if (!w.running && Date.now() >= (this.restartAt.get(name) ?? 0)) {
          await w.start()
          // A process that dies at once on its own (a server down at its start) is retried once a second.
          this.restartAt.set(name, Date.now() + 1_000)
        }
    } finally {
      this.busy = false
    }
  }

  /** Ends supervision; the workers keep running until stopped one by one. */
  async stopSupervising(): Promise<void> {
    clearInterval(this.timer)
    while (this.busy) await new Promise((r) => setTimeout(r, 20))
  }

  get kills(): number {
    return Object.values(this.workers).reduce((n, w) => n + w.kills, 0)
  }
}
