/**
 * The QMT adapter's speed, two ways; progress lines, then one JSON line.
 * 1. adapter_ticks_per_s: bridge output (JSON lines, as piped) through line splitting, decoding, the replay
 *    gate, bar building, the journal (outbox fsync + state) and XADD into a private redis-server, until Redis
 *    confirmed every event. BENCH_SYMBOLS (5000) x BENCH_STEPS (100 three-second pushes).
 * 2. adapter_cpu_share, adapter_rss_mb: `minutebar adapter` as its own process following BENCH_SYMBOLS symbols
 *    at QMT's real pace (the stand-in xtquant pushes every symbol every 3 s, bars close every minute) for
 *    BENCH_FOLLOW_S (60) seconds after a 15 s warm-up; CPU from /proc (share of one core), RSS the maximum
 *    sampled. Linux only. Then the same for the adapter pipeline alone (`--adapter-only`: no CLI, so none of
 *    the other commands' imports), as lean_cpu_share and lean_rss_mb: what the adapter itself costs.
 */
import { spawn } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect, Fiber, Redacted } from "effect"
import { freePort } from "../src/adapters/process/free-port.ts"
import { ensureServerBinaries, REDIS_SERVER } from "../src/adapters/process/server-binaries.ts"
import { makeLineSplitter } from "../src/adapters/qmt/bridge-process.ts"
import { redisServer, redisUrl } from "../src/adapters/redis/redis-server-process.ts"
import { StreamWriter } from "../src/adapters/redis/stream-writer.ts"
import { parseShanghai } from "../src/domain/market-time.ts"
import { AdapterJournal } from "../src/pipelines/adapter-journal.ts"
import { recoverAdapter } from "../src/pipelines/adapter-recovery.ts"
import { BridgeLinesToEvents, type MarketEvent } from "../src/pipelines/bridge-lines-to-events.ts"
import { OutboxSender } from "../src/pipelines/outbox-sender.ts"
import { runQmtAdapter } from "../src/pipelines/qmt-adapter.ts"
import { tempDir } from "../test/support/servers.ts"

const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5000)
const STEPS = Number(process.env.BENCH_STEPS ?? 100)
const FOLLOW_S = Number(process.env.BENCH_FOLLOW_S ?? 60)
const WARMUP_S = 15
const result: Record<string, number | string> = {}

const symbolAt = (i: number): string =>
  i % 2 === 0 ? `${String(600000 + i).padStart(6, "0")}.SH` : `${String(1 + i).padStart(6, "0")}.SZ`

// What the bridge writes for one 3-second push: a tick line per symbol, then a heartbeat with the push's time.
const bridgeOutput = (): string[] => {
  let seed = 42
  const rnd = () => {
    seed = (seed * 1_664_525 + 1_013_904_223) >>> 0
    return seed / 4_294_967_296
  }
  const quotes = Array.from({ length: SYMBOLS }, () => ({ price: 10 + rnd() * 90, shares: 0, amount: 0 }))
  const t0 = parseShanghai("2024-03-05 09:30:00")
  const chunks: string[] = []
  for (let step = 0; step < STEPS; step++) {
    const time = t0 + step * 3_000
    let text = ""
    quotes.forEach((q, i) => {
      q.price = Math.max(0.01, Math.round(q.price * (1 + (rnd() - 0.5) * 0.002) * 100) / 100)
      const shares = 100 * (1 + Math.floor(rnd() * 50))
      q.shares += shares
      q.amount = Math.round((q.amount + shares * q.price) * 100) / 100
      text += `{"type":"tick","symbol":"${symbolAt(i)}","time":${time},"lastPrice":${q.price},"open":${q.price},"high":${q.price},"low":${q.price},"lastClose":10,"amount":${q.amount},"volume":${q.shares / 100},"pvolume":${q.shares}}\n`
    })
    chunks.push(`${text}{"type":"heartbeat","time":${time}}\n`)
  }
  return chunks
}

const startRedis = async (dir: string) => {
  const bins = ensureServerBinaries([REDIS_SERVER], () => {})
  const port = await freePort()
  const server = redisServer({ binary: bins["redis-server"]!, port, dataDir: join(dir, "redis") })
  await server.start()
  return { server, url: redisUrl(port) }
}

// Feeds the bridge output in 64 KiB pieces, as pipe reads deliver it, yielding to the event loop between them
// so the journal and the sender run alongside, as they do live.
const throughput = async (url: string, dir: string): Promise<void> => {
  const pushes = bridgeOutput()
  const ticks = SYMBOLS * STEPS
  console.log(`throughput: ${ticks.toLocaleString()} ticks of ${SYMBOLS} symbols generated`)
  const r = await recoverAdapter(join(dir, "state"), 3_000)
  const sender = new OutboxSender(r.outbox, r.sentFrom, { log: console.log })
  const journal = new AdapterJournal(join(dir, "state"), r.outbox, sender, () => ({
    lastTicksJson: JSON.stringify(r.gate),
    builderJson: JSON.stringify(r.builder.snapshot()),
  }))
  const lines = new BridgeLinesToEvents(r.builder, r.gate, {
    bad: () => {},
    tick: () => {},
    heartbeat: () => {},
  })
  const events: MarketEvent[] = []
  const split = makeLineSplitter(
    (batch) => {
      lines.accept(batch, events)
      if (events.length > 0) journal.add(events.splice(0))
    },
    () => {},
  )
  const layer = StreamWriter.layer({ url: Redacted.make(url), stream: "bench:adapter" })
  const fibers = [sender.run, journal.run].map((e) =>
    Effect.runFork(e.pipe(Effect.provide(layer), Effect.orDie)),
  )
  const start = performance.now()
  for (const push of pushes) {
    for (let i = 0; i < push.length; i += 65_536) {
      split(push.slice(i, i + 65_536))
      await new Promise((res) => setImmediate(res))
    }
  }
  await Effect.runPromise(journal.flush)
  while (sender.backlog() > 0) await new Promise((res) => setTimeout(res, 5))
  const seconds = (performance.now() - start) / 1000
  await Promise.all(fibers.map((f) => Effect.runPromise(Fiber.interrupt(f))))
  await r.outbox.close()
  const c = lines.counts
  console.log(
    `throughput: ${c.ticks} ticks -> ${c.bars} bars (${c.bad} bad), ${journal.commits} commits, ${seconds.toFixed(2)} s`,
  )
  result.adapter_ticks_per_s = Math.round(ticks / seconds)
  result.adapter_bars = c.bars
}

const procStat = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  const status = readFileSync(`/proc/${pid}/status`, "utf8")
  return {
    cpuS: (Number(stat[11]) + Number(stat[12])) / 100,
    rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
  }
}

const followEnv = (url: string, stateDir: string) => ({
  ...process.env,
  REDIS_URL: url,
  REDIS_STREAM: "bench:follow",
  ADAPTER_STATE_DIR: stateDir,
  QMT_PYTHON: "python3",
  PYTHONPATH: "test/fixtures/xtquant",
  MINUTEBAR_BRIDGE_CLOCK: "ticks",
  FAKE_XTQUANT_SYNTH: String(SYMBOLS),
  FAKE_XTQUANT_SPEED: "1",
  FAKE_XTQUANT_SYNTH_START: "2024-03-05 09:30:45",
})

// The adapter pipeline without the CLI around it (run in a child as `bench/adapter.ts --adapter-only`).
const adapterOnly = (): void => {
  const fiber = Effect.runFork(
    runQmtAdapter({
      stateDir: process.env.ADAPTER_STATE_DIR!,
      graceMs: 3_000,
      stallMs: 60_000,
      bridge: { python: "python3", script: "src/adapters/qmt/bridge.py", args: ["live"] },
      log: (line) => process.stderr.write(`${line}\n`),
    }).pipe(
      Effect.provide(
        StreamWriter.layer({ url: Redacted.make(process.env.REDIS_URL!), stream: process.env.REDIS_STREAM! }),
      ),
    ),
  )
  process.once("SIGTERM", () => void Effect.runPromise(Fiber.interrupt(fiber)).then(() => process.exit(0)))
}

const follow = async (url: string, dir: string, lean: boolean): Promise<void> => {
  // The Windows service's node flag (infra/windows/install-service.ps1).
  const args = [
    "--max-semi-space-size=2",
    ...(lean ? ["bench/adapter.ts", "--adapter-only"] : ["src/main.ts", "adapter"]),
  ]
  const child = spawn(process.execPath, args, {
    env: followEnv(url, join(dir, lean ? "lean" : "follow")),
    stdio: ["ignore", "ignore", "pipe"],
  })
  let log = ""
  child.stderr?.on("data", (d) => (log += d))
  const pid = child.pid!
  const name = lean ? "lean" : "follow"
  console.log(
    `${name}: ${args.join(" ")} (pid ${pid}), ${SYMBOLS} symbols every 3 s; warm-up ${WARMUP_S} s, then ${FOLLOW_S} s`,
  )
  await new Promise((res) => setTimeout(res, WARMUP_S * 1000))
  const first = procStat(pid)
  const t0 = performance.now()
  let rss = first.rssMb
  for (let s = 0; s < FOLLOW_S; s++) {
    await new Promise((res) => setTimeout(res, 1000))
    rss = Math.max(rss, procStat(pid).rssMb)
    if (s % 30 === 29) console.log(`${name}: ${s + 1} s, rss ${rss.toFixed(0)} MB`)
  }
  const cpu = procStat(pid).cpuS - first.cpuS
  const share = cpu / ((performance.now() - t0) / 1000)
  child.kill("SIGTERM")
  await new Promise((res) => child.once("exit", res))
  const status = log
    .trim()
    .split("\n")
    .filter((l) => l.includes("adapter: "))
    .at(-1)
  console.log(`${name}: ${status}`)
  const prefix = lean ? "lean" : "adapter"
  result[`${prefix}_cpu_share`] = Math.round(share * 10_000) / 10_000
  result[`${prefix}_rss_mb`] = Math.round(rss)
  result.follow_symbols = SYMBOLS
  result.follow_seconds = FOLLOW_S
}

if (process.argv.includes("--adapter-only")) adapterOnly()
else {
  const dir = tempDir("bench-adapter")
  const redis = await startRedis(dir)
  try {
    await throughput(redis.url, dir)
    if (FOLLOW_S > 0) {
      await follow(redis.url, dir, false)
      await follow(redis.url, dir, true)
    }
  } finally {
    await redis.server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(JSON.stringify(result))
}
