import { ConfigProvider, Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { Settings } from "../../src/config/settings.ts"

const settingsFrom = (env: Record<string, string>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* Settings
    }).pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))),
  )

describe("log stream and relay settings", () => {
  it("default to a file-storage stream with one replica and no size limit, four batches in flight", async () => {
    const s = await settingsFrom({})
    expect([s.natsStorage, s.natsReplicas, Option.isNone(s.natsMaxBytes)]).toEqual(["file", 1, true])
    expect([s.relayInFlight, s.relayClaimIdleMs]).toEqual([4, 30_000])
  })

  it("take memory storage and a size limit when asked", async () => {
    const s = await settingsFrom({ NATS_STORAGE: "memory", NATS_MAX_BYTES: "1073741824", NATS_REPLICAS: "3" })
    expect([s.natsStorage, Option.getOrNull(s.natsMaxBytes), s.natsReplicas]).toEqual(["memory", 1 << 30, 3])
  })

  it("refuse a storage other than file or memory", async () => {
    await expect(settingsFrom({ NATS_STORAGE: "disk" })).rejects.toThrow(/NATS_STORAGE|file|memory/)
  })
})
