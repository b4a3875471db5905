import { rmSync } from "node:fs"
import { join } from "node:path"
import { Effect, Fiber, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { StreamWriter } from "../../src/adapters/redis/stream-writer.ts"
import { Outbox } from "../../src/pipelines/outbox.ts"
import { OutboxSender } from "../../src/pipelines/outbox-sender.ts"
import { readStream, STREAM, startRedis, type TestRedis } from "../adapters/qmt/adapter-harness.ts"
import { eventually } from "../support/runtime.ts"
import { tempDir } from "../support/servers.ts"

describe("the outbox sender", () => {
  const dir = tempDir("sender")
  let redis: TestRedis
  beforeAll(async () => {
    redis = await startRedis(dir)
  })
  afterAll(async () => {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("holds at most its cap in memory while Redis is away, then sends everything from the files, in order", async () => {
    const outbox = await Outbox.open(join(dir, "outbox"), { emptyEnd: 0, segmentBytes: 4_096 })
    const log: string[] = []
    const sender = new OutboxSender(outbox, 0, { cap: 10, chunk: 7, log: (l) => log.push(l) })
    const layer = StreamWriter.layer({ url: Redacted.make(redis.url), stream: STREAM })
    const fiber = Effect.runFork(sender.run.pipe(Effect.provide(layer)))
    await redis.server.stop()
    let maxQueued = 0
    for (let i = 0; i < 100; i++) {
      const batch = Array.from({ length: 10 }, (_, j) => ({ type: "bar", data: String(i * 10 + j) }))
      sender.offer(await outbox.append(batch), batch)
      maxQueued = Math.max(maxQueued, sender.queued())
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(maxQueued).toBeLessThanOrEqual(10)
    expect(sender.backlog()).toBe(1_000)
    await redis.server.start()
    await eventually(async () => sender.backlog() === 0, 30_000, "the backlog sent")
    const sent = await readStream(redis.client)
    expect(sent.map((e) => Number(e.data))).toEqual(Array.from({ length: 1_000 }, (_, i) => i))
    expect(log.join("\n")).toMatch(/unreachable[\s\S]*is back/)
    // Sent segments are gone; only the tail is left.
    expect(outbox.segmentList()).toHaveLength(1)
    await Effect.runPromise(Fiber.interrupt(fiber))
    await outbox.close()
  })
})
