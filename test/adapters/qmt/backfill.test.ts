import { execFile } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseShanghai } from "../../../src/domain/market-time.ts"
import { tempDir } from "../../support/servers.ts"
import {
  barsOf,
  batchBars,
  conflictingIds,
  FAKE_XTQUANT,
  readStream,
  STREAM,
  startAdapter,
  startRedis,
  stopAdapter,
  type TestRedis,
  TICKS,
  waitForBars,
} from "./adapter-harness.ts"

interface Bar {
  frame: string
  open: number
  high: number
  low: number
  close: number
  vol: number
  amount: number
}

// QMT's history of the recorded day, as QMT shapes it: bars labelled by their end, volume in lots, and the
// opening auction in a 09:30 bar of its own (taken out of 09:31).
const qmtHistory = (bars: ReadonlyArray<Bar>): string => {
  const ticks = readFileSync(TICKS, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
  const auction = ticks.filter((t) => t.time < parseShanghai("2023-02-01 09:30")).at(-1)
  const rows = bars.map((b) => ({
    symbol: "600519.SH",
    time: parseShanghai(b.frame),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.vol / 100,
    amount: b.amount,
  }))
  rows[0] = {
    ...rows[0]!,
    volume: rows[0]!.volume - auction.volume,
    amount: rows[0]!.amount - auction.amount,
  }
  const p = auction.lastPrice
  const open = {
    symbol: "600519.SH",
    time: parseShanghai("2023-02-01 09:30"),
    open: p,
    high: p,
    low: p,
    close: p,
  }
  rows.unshift({ ...open, volume: auction.volume, amount: auction.amount })
  return rows.map((r) => JSON.stringify(r)).join("\n")
}

describe("minutebar backfill: QMT's 1m history, published like a live day", () => {
  const dir = tempDir("backfill")
  const history = join(dir, "history.ndjson")
  let redis: TestRedis
  beforeAll(async () => {
    redis = await startRedis(dir)
    writeFileSync(history, qmtHistory(batchBars(TICKS) as Bar[]))
  })
  afterAll(async () => {
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const backfill = () =>
    promisify(execFile)(
      process.execPath,
      ["src/main.ts", "backfill", "--from", "2023-02-01", "--to", "2023-02-01", "--symbols", "600519.SH"],
      {
        env: {
          ...process.env,
          REDIS_URL: redis.url,
          REDIS_STREAM: STREAM,
          ADAPTER_STATE_DIR: join(dir, "state"),
          PYTHONPATH: FAKE_XTQUANT,
          QMT_PYTHON: "python3",
          FAKE_XTQUANT_HISTORY: history,
        },
      },
    )

  it("a backfilled day's bar events are the live day's, byte for byte (the 09:30 auction bar folded into 09:31)", async () => {
    const live = startAdapter({
      REDIS_URL: redis.url,
      REDIS_STREAM: STREAM,
      ADAPTER_STATE_DIR: join(dir, "live"),
      FAKE_XTQUANT_TICKS: TICKS,
    })
    await waitForBars(redis.client, 240, live)
    expect(await stopAdapter(live)).toBe(0)
    const liveBars = barsOf(await readStream(redis.client))
    await redis.client.del(STREAM)

    const { stdout } = await backfill()
    expect(stdout).toMatch(/backfill done: 240 bars sent, 0 bad lines/)
    expect(barsOf(await readStream(redis.client))).toEqual(liveBars)
  })

  it("re-running a backfill sends the same ids with the same contents: a no-op downstream", async () => {
    const first = barsOf(await readStream(redis.client))
    await backfill()
    const all = barsOf(await readStream(redis.client))
    expect(all).toHaveLength(2 * first.length)
    expect(conflictingIds(all)).toEqual([])
  })

  it("refuses dates and symbols it cannot use, saying which", async () => {
    const run = promisify(execFile)(process.execPath, [
      "src/main.ts",
      "backfill",
      "--from",
      "2023-02-02",
      "--to",
      "2023-02-01",
    ])
    await expect(run).rejects.toThrow(/--from and --to must be dates YYYY-MM-DD with --from <= --to/)
  })
})
