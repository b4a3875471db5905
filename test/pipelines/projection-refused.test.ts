import { Fiber } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ClickHouse } from "../../src/adapters/clickhouse/clickhouse.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import { runProjection } from "../../src/pipelines/projection.ts"
import { waitDrained } from "../support/consumer-drained.ts"
import { makeTestRuntime } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { type LogRuntime, logRuntime, minuteBars, publish } from "./client-fixture.ts"

// A bar every decoder takes and ClickHouse refuses: the table is given a constraint only it breaks. What
// such a bar stands for is any value the decoders and the columns disagree on (a rev beyond UInt32 was one).
const POISON_VOL = 666

describe("projection: a message ClickHouse refuses", () => {
  let servers: TestServers
  let runtime: ReturnType<typeof makeTestRuntime>
  let log: LogRuntime
  beforeAll(async () => {
    servers = await startServers()
    runtime = makeTestRuntime(servers)
    log = logRuntime(servers)
    await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.command(`ALTER TABLE bars_1m ADD CONSTRAINT no_poison CHECK vol != ${POISON_VOL}`),
      ),
    )
  })
  afterAll(async () => {
    await log.dispose()
    await runtime.dispose()
    await servers.stop()
  })

  const count = (query: string) =>
    runtime.runPromise(ClickHouse.use((ch) => ch.query<{ n: number }>(query))).then((r) => Number(r[0]!.n))

  it("goes to dead_letters with ClickHouse's reason; the rest of its batch is written, and the projection goes on", async () => {
    const bars: BarClosed[] = minuteBars(50, 6)
    const poison = { ...bars[137]!, vol: POISON_VOL }
    bars[137] = poison
    await publish(log, bars)
    const fiber = runtime.runFork(runProjection({ durable: "projection", batchSize: 120, flushMs: 50 }))
    await waitDrained(servers.natsUrl, "projection")
    // The projection did not stop: what comes next is written too.
    await publish(log, minuteBars(50, 1, 6))
    await waitDrained(servers.natsUrl, "projection")
    await runtime.runPromise(Fiber.interrupt(fiber))

    expect(await count("SELECT count() AS n FROM bars_1m FINAL")).toBe(50 * 7 - 1)
    expect(
      await count(
        `SELECT count() AS n FROM bars_1m FINAL WHERE symbol = '${poison.symbol}' AND frame = '${poison.frame}'`,
      ),
    ).toBe(0)
    const letters = await runtime.runPromise(
      ClickHouse.use((ch) =>
        ch.query<{ stage: string; reason: string; payload: string }>(
          "SELECT stage, reason, payload FROM dead_letters",
        ),
      ),
    )
    expect(letters).toHaveLength(1)
    expect(letters[0]!.stage).toBe("projection")
    expect(letters[0]!.reason).toMatch(/ClickHouse refused it: .*no_poison/)
    expect(JSON.parse(letters[0]!.payload)).toEqual(poison)
  })
})
