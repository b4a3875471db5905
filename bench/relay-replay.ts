/**
 * The relay benchmark's replay section: a full-market day (REPLAY_SYMBOLS x 240 bars, default 5,000, the
 * relay's JSON) published to the log, then replayed at max speed from the log as NDJSON, medians of
 * BENCH_RUNS: in process (replayFrames into serialized lines) and as `minutebar replay > /dev/null`.
 */
import { spawn } from "node:child_process"
import { openSync } from "node:fs"
import { Effect, Redacted, Stream } from "effect"
import { MarketLog } from "../src/adapters/nats/market-log.ts"
import { NatsClient } from "../src/adapters/nats/nats-client.ts"
import type { BarClosed } from "../src/domain/bar.ts"
import { barMessageId, barSubject } from "../src/domain/market-event.ts"
import { SLOT_LABELS } from "../src/domain/session-grid.ts"
import { ndjson } from "../src/pipelines/ndjson-stdout.ts"
import { replayFrames } from "../src/pipelines/replay-day.ts"
import { benchBar } from "../test/support/bar-entries.ts"
import { type BenchContext, median, perSecond, relayRuntime } from "./relay-fixture.ts"

const SYMBOLS = Number(process.env.REPLAY_SYMBOLS ?? 5_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
// Not 2024-01-02, the relay section's day: ids it published may still be in the duplicate window.
const DAY = "2024-01-05"
const encoder = new TextEncoder()

/** benchBar's prices and volumes, framed on the day's 240 minute labels (benchBar runs through lunch). */
const dayBar = (slot: number, symbol: number): BarClosed => ({
  ...benchBar(slot * 5_000 + symbol),
  frame: `${DAY} ${SLOT_LABELS[slot]}`,
})

/** The first REPLAY_SYMBOLS symbols of every minute, published minute by minute as the relay does. */
const publishDay = async (ctx: BenchContext): Promise<number> => {
  await ctx.purgeLog()
  const runtime = relayRuntime(ctx, "bench:replay:unused")
  const batchOf = (minute: number, from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const b = dayBar(minute, from + k)
      return { subject: barSubject(b), id: barMessageId(b), data: encoder.encode(JSON.stringify(b)) }
    })
  const batches: Array<ReturnType<typeof batchOf>> = []
  for (let minute = 0; minute < 240; minute++)
    for (let from = 0; from < SYMBOLS; from += 1_000)
      batches.push(batchOf(minute, from, Math.min(SYMBOLS, from + 1_000)))
  await runtime.runPromise(
    Effect.forEach(batches, (batch) => MarketLog.use((log) => log.publish(batch)), { concurrency: 8 }),
  )
  await runtime.dispose()
  return SYMBOLS * 240
}

/** In process: read the day from the log, then every frame serialized as NDJSON (what the CLI writes). */
const replayOnce = async (
  ctx: BenchContext,
): Promise<{ bars: number; bytes: number; ms: number; readMs: number }> => {
  let [bars, bytes, readMs] = [0, 0, 0]
  const t0 = performance.now()
  const frames = replayFrames({
    day: DAY,
    period: "1m",
    speed: "max",
    source: "log",
    onProgress: (p) => {
      if (p.phase === "loaded") readMs = performance.now() - t0
    },
  })
  await Effect.runPromise(
    Stream.runForEach(frames, (g) =>
      Effect.sync(() => {
        bytes += ndjson(g.bars).length
        bars += g.bars.length
      }),
    ).pipe(Effect.provide(NatsClient.layer({ url: Redacted.make(ctx.servers.natsUrl), stream: "MARKET" }))),
  )
  return { bars, bytes, ms: performance.now() - t0, readMs }
}

/** `minutebar replay --date DAY --source log > /dev/null`, process start included. */
const cliOnce = (ctx: BenchContext): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ["src/main.ts", "replay", "--date", DAY, "--source", "log"], {
      env: { ...process.env, NATS_URL: ctx.servers.natsUrl },
      stdio: ["ignore", openSync("/dev/null", "w"), "ignore"],
    })
    child.once("exit", (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`minutebar replay exited ${code}`)),
    )
  })

export const replaySection = async (ctx: BenchContext): Promise<Record<string, number>> => {
  console.log(`replay: a day of ${SYMBOLS.toLocaleString()} symbols x 240 bars, ${RUNS} runs`)
  const t0 = performance.now()
  const published = await publishDay(ctx)
  console.log(`published ${published.toLocaleString()} bars in ${Math.round(performance.now() - t0)} ms`)
  const [inProcess, reads, cli]: number[][] = [[], [], []]
  for (let run = 0; run < RUNS; run++) {
    const r = await replayOnce(ctx)
    if (r.bars !== published) throw new Error(`replay gave ${r.bars} bars, ${published} were published`)
    inProcess.push(perSecond(r.bars, r.ms))
    reads.push(Math.round(r.readMs))
    cli.push(perSecond(published, await cliOnce(ctx)))
    console.log(
      `run ${run + 1}: replay ${inProcess[run]!.toLocaleString()} bars/s (reading the log ${reads[run]} ms), ` +
        `minutebar replay > /dev/null ${cli[run]!.toLocaleString()} bars/s`,
    )
  }
  return {
    replay_bars_per_s: median(inProcess),
    replay_read_ms: median(reads),
    replay_cli_bars_per_s: median(cli),
    replay_day_bars: published,
  }
}
