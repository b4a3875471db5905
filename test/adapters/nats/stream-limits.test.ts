import { jetstreamManager } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import { Effect, Layer, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { MarketLog, type MarketLogOptions } from "../../../src/adapters/nats/market-log.ts"
import { natsConnection } from "../../support/nats-connection.ts"

const DAY_MS = 86_400_000

describe("the log stream's limits are applied at every start", () => {
  const nats = natsConnection()

  const start = (o: Omit<MarketLogOptions, "url">) =>
    Effect.runPromise(
      Effect.scoped(Layer.build(MarketLog.layer({ ...o, url: Redacted.make(nats.servers.natsUrl) }))).pipe(
        Effect.asVoid,
      ),
    )
  const config = async (stream: string) =>
    (await (await jetstreamManager(nats.nc)).streams.info(stream)).config

  it("a changed limit updates the existing stream in place, keeping its messages", async () => {
    await start({ stream: "LIMITS", retentionDays: 30, duplicateWindowMs: 600_000 })
    const js = (await jetstreamManager(nats.nc)).jetstream()
    await js.publish("bars.1m.SZ.000001", "{}", { msgID: "kept" })
    expect(await config("LIMITS")).toMatchObject({
      max_age: nanos(30 * DAY_MS),
      duplicate_window: nanos(600_000),
      max_bytes: -1,
      storage: "file",
      num_replicas: 1,
    })
    await start({ stream: "LIMITS", retentionDays: 7, duplicateWindowMs: 120_000, maxBytes: 1 << 30 })
    expect(await config("LIMITS")).toMatchObject({
      max_age: nanos(7 * DAY_MS),
      duplicate_window: nanos(120_000),
      max_bytes: 1 << 30,
    })
    expect((await (await jetstreamManager(nats.nc)).streams.info("LIMITS")).state.messages).toBe(1)
    await (await jetstreamManager(nats.nc)).streams.delete("LIMITS")
  })

  it("memory storage is chosen at creation; asking to change it later stops the start with what to do", async () => {
    await start({ stream: "MEMORY", retentionDays: 1, duplicateWindowMs: 60_000, storage: "memory" })
    expect((await config("MEMORY")).storage).toBe("memory")
    await expect(start({ stream: "MEMORY", retentionDays: 1, duplicateWindowMs: 60_000 })).rejects.toThrow(
      /cannot change storage in place/,
    )
    await (await jetstreamManager(nats.nc)).streams.delete("MEMORY")
  })
})
