import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tempDir } from "../../support/servers.ts"
import {
  barsOf,
  batchBars,
  finalBars,
  readStream,
  STREAM,
  startAdapter,
  startRedis,
  stopAdapter,
  type TestRedis,
  TICKS,
  waitForBars,
} from "./adapter-harness.ts"

// Python's json reads NaN, and the bridge writes it back as NaN: as QMT's NaN would come through.
const badTicksAfter = (t: Record<string, unknown>): string[] => {
  const next: Record<string, unknown> = { ...t, time: (t.time as number) + 1 }
  const { amount: _, ...noAmount } = next
  return [
    JSON.stringify({ ...next, lastPrice: String(t.lastPrice) }),
    JSON.stringify(next).replace(/"lastPrice":[^,]+/, '"lastPrice":NaN'),
    JSON.stringify(noAmount),
    JSON.stringify({ ...next, volume: (t.volume as number) - 10, pvolume: (t.pvolume as number) - 1000 }),
    JSON.stringify({ ...next, symbol: "MOUTAI" }),
  ]
}

describe("bad lines from the bridge are dead letters with their reason; the adapter goes on", () => {
  const dir = tempDir("adapter-bad")
  let redis: TestRedis
  const file = join(dir, "ticks-with-bad-lines.ndjson")
  const lines = readFileSync(TICKS, "utf8").trim().split("\n")
  const before = JSON.parse(lines[1_999]!) as Record<string, number>
  beforeAll(async () => {
    redis = await startRedis(dir)
    writeFileSync(
      file,
      [...lines.slice(0, 2_000), ...badTicksAfter(before), ...lines.slice(2_000)].join("\n"),
    )
  })
  afterAll(async () => {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("wrong types, NaN, missing fields, falling cumulative volume and bad symbols are each filed and counted", async () => {
    const state = join(dir, "state")
    const adapter = startAdapter({
      REDIS_URL: redis.url,
      REDIS_STREAM: STREAM,
      ADAPTER_STATE_DIR: state,
      FAKE_XTQUANT_TICKS: file,
    })
    await waitForBars(redis.client, 240, adapter)
    expect(await stopAdapter(adapter)).toBe(0)
    const dead = readFileSync(join(state, "dead-letters.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { reason: string; line: string })
    expect(dead.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^bad tick: Expected number.*lastPrice/),
      "not JSON: NaN or Infinity in a number field",
      expect.stringMatching(/^bad tick: Missing key.*amount/),
      `cumulative volume fell from ${before.pvolume} to ${before.pvolume! - 1000} shares`,
      expect.stringMatching(/^bad tick: a symbol is six digits/),
    ])
    expect(adapter.output()).toMatch(/5098 ticks .* 5 bad lines/)
    expect(adapter.output()).toMatch(/bad bridge line: not JSON: NaN/)
    // The good ticks made the same bars as a clean file.
    expect(finalBars(barsOf(await readStream(redis.client)))).toEqual(batchBars(TICKS))
  })
})
