/**
 * What the extra-client tests share: private servers, a log runtime that publishes bars, and bars of a few
 * symbols minute by minute, each known by its message id.
 */
import { spawn } from "node:child_process"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { MarketLog } from "../../src/adapters/nats/market-log.ts"
import { NatsClient } from "../../src/adapters/nats/nats-client.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import { barMessageId, barSubject } from "../../src/domain/market-event.ts"
import { benchBar } from "../support/bar-entries.ts"
import type { TestServers } from "../support/servers.ts"

const encoder = new TextEncoder()

/** `minutes` bars of each of the first `symbols` bench symbols (600000.SH...), minute by minute. */
export const minuteBars = (symbols: number, minutes: number, fromMinute = 0): BarClosed[] =>
  Array.from({ length: symbols * minutes }, (_, k) =>
    benchBar((fromMinute + Math.floor(k / symbols)) * 5_000 + (k % symbols)),
  )

export const idOf = (b: Pick<BarClosed, "symbol" | "period" | "frame" | "rev">): string => barMessageId(b)

export const logRuntime = (servers: TestServers) =>
  ManagedRuntime.make(
    Layer.mergeAll(
      MarketLog.layer({
        url: Redacted.make(servers.natsUrl),
        stream: "MARKET",
        retentionDays: 30,
        duplicateWindowMs: 600_000,
      }),
      NatsClient.layer({ url: Redacted.make(servers.natsUrl), stream: "MARKET", name: "test" }),
    ),
  )

export type LogRuntime = ReturnType<typeof logRuntime>

export const publish = (runtime: LogRuntime, bars: ReadonlyArray<BarClosed>) =>
  runtime.runPromise(
    MarketLog.use((log) =>
      log.publish(
        bars.map((b) => ({
          subject: barSubject(b),
          id: barMessageId(b),
          data: encoder.encode(JSON.stringify(b)),
        })),
      ),
    ),
  )

export { Effect }

/** A `minutebar` child process whose stdout lines are collected as they come. */
export const minutebar = (args: ReadonlyArray<string>, natsUrl: string) => {
  const child = spawn(process.execPath, ["src/main.ts", ...args], {
    env: { ...process.env, NATS_URL: natsUrl },
    stdio: ["ignore", "pipe", "pipe"],
  })
  const lines: string[] = []
  let partial = ""
  let stderr = ""
  child.stdout.on("data", (d: Buffer) => {
    const text = partial + d.toString()
    const parts = text.split("\n")
    partial = parts.pop()!
    lines.push(...parts.filter((l) => l !== ""))
  })
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, lines, stderr: () => stderr, exited }
}
