import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigProvider, Effect, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { projectionOptions, projectionWarning } from "../../src/cli/projection-options.ts"
import { loadSettings } from "../../src/config/config-provider.ts"
import { Settings } from "../../src/config/settings.ts"
import { tempDir } from "../support/servers.ts"

const settingsFrom = (env: Record<string, string>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* Settings
    }).pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))),
  )

describe("settings", () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  it("default to embedded servers, chDB and port 8080", async () => {
    const s = await settingsFrom({})
    expect(Option.isNone(s.redisUrl) && Option.isNone(s.natsUrl) && Option.isNone(s.clickhouseUrl)).toBe(true)
    expect(s.httpPort).toBe(8080)
    expect(s.barGraceMs).toBe(3_000)
  })

  it("a bad value is refused at start with a message naming the setting", async () => {
    process.env.HTTP_PORT = "eighty"
    await expect(Effect.runPromise(loadSettings)).rejects.toThrow(/invalid setting HTTP_PORT/)
    process.env.HTTP_PORT = "8080"
    process.env.PROJECTION_BATCH = "0"
    await expect(Effect.runPromise(loadSettings)).rejects.toThrow(
      /invalid setting PROJECTION_BATCH: must be > 0/,
    )
  })

  it("a projection takes the whole market, or the exchanges PROJECTION_EXCHANGES lists", async () => {
    expect(projectionOptions(await settingsFrom({})).exchanges).toEqual([])
    expect(projectionOptions(await settingsFrom({ PROJECTION_EXCHANGES: " BJ, SZ" })).exchanges).toEqual([
      "SZ",
      "BJ",
    ])
    // On embedded chDB nobody else can write the exchanges left out: it is said at start.
    expect(projectionWarning(await settingsFrom({ PROJECTION_EXCHANGES: "SH" }))).toMatch(
      /no other process can write SZ, BJ/,
    )
    const server = { PROJECTION_EXCHANGES: "SH", CLICKHOUSE_URL: "http://127.0.0.1:8123" }
    expect(projectionWarning(await settingsFrom(server))).toBeUndefined()
    process.env.PROJECTION_EXCHANGES = "SH,HK"
    await expect(Effect.runPromise(loadSettings)).rejects.toThrow(
      /invalid setting PROJECTION_EXCHANGES: must be empty \(the whole market\) or a comma list of exchanges: SH, SZ, BJ/,
    )
  })

  it("the environment overrides the config file, which overrides the defaults", async () => {
    const file = join(tempDir("config"), "minutebar.json")
    writeFileSync(file, JSON.stringify({ HTTP_PORT: 9001, REDIS_STREAM: "from-file", BAR_GRACE_MS: 5000 }))
    process.env.MINUTEBAR_CONFIG = file
    process.env.BAR_GRACE_MS = "4000"
    const s = await Effect.runPromise(loadSettings)
    expect([s.httpPort, s.redisStream, s.barGraceMs]).toEqual([9001, "from-file", 4_000])
  })

  it("secrets are redacted when printed", async () => {
    const s = await settingsFrom({ REDIS_URL: "rediss://:hunter2@redis.example:6380" })
    expect(String(Option.getOrThrow(s.redisUrl))).not.toContain("hunter2")
    expect(JSON.stringify(s)).not.toContain("hunter2")
  })
})
