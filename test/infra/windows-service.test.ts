/**
 * The Windows service (infra/windows/install-service.ps1) cannot be installed here (no Windows, no NSSM), so
 * what the script hands NSSM is run as NSSM runs it: its AppParameters after node, in the install directory (this
 * checkout), with its AppEnvironmentExtra (Redis a private server, QMT's Python the stand-in xtquant), and
 * stopped as NSSM stops it first: Ctrl-C (SIGINT), within AppStopMethodConsole. TLS to Redis with the CA the
 * script sets is run in redis-deployment.test.ts.
 */
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import {
  type AdapterProcess,
  killAll,
  STREAM,
  startAdapter,
  startRedis,
  TICKS,
  waitForBars,
} from "../adapters/qmt/adapter-harness.ts"
import { tempDir } from "../support/servers.ts"
import { settingNames } from "../support/setting-names.ts"

const script = readFileSync("infra/windows/install-service.ps1", "utf8")
const nssm = (setting: string) =>
  new RegExp(`Invoke-Nssm set \\$ServiceName ${setting} (.+)$`, "m").exec(script)?.[1]

/** `"NAME=$Value"` lines after AppEnvironmentExtra. */
const serviceEnv = [
  ...script.slice(script.indexOf("AppEnvironmentExtra")).matchAll(/^\s+"([A-Z_]+)=\$\w+"/gm),
].map((m) => m[1]!)

describe("the adapter's Windows service, run as NSSM runs it", () => {
  const dir = tempDir("windows-service")
  let adapter: AdapterProcess | undefined
  afterAll(async () => {
    if (adapter !== undefined && adapter.child.exitCode === null) await killAll(adapter)
    rmSync(dir, { recursive: true, force: true })
  })

  it("gives the adapter only settings it has, and restarts it on any exit", () => {
    expect(serviceEnv).toEqual([
      "REDIS_URL",
      "QMT_PYTHON",
      "NODE_EXTRA_CA_CERTS",
      "ADAPTER_STATE_DIR",
      "DATA_DIR",
    ])
    expect(serviceEnv.filter((k) => !settingNames.has(k))).toEqual([])
    expect(nssm("AppExit")).toBe("Default Restart")
    expect(Number(nssm("AppRestartDelay"))).toBeGreaterThan(0)
  })

  it("records bars with the service's command line, and stops cleanly on Ctrl-C within the console stop time", async () => {
    const parameters = /^'(.+)'$/.exec(nssm("AppParameters") ?? "")?.[1]
    expect(parameters).toBe("--max-semi-space-size=2 bin\\minutebar.js adapter")
    const nodeArgs = parameters!.split(" ").map((a) => a.replaceAll("\\", "/"))
    const stopMs = Number(nssm("AppStopMethodConsole"))
    expect(stopMs).toBeGreaterThanOrEqual(10_000)

    const redis = await startRedis(dir)
    try {
      adapter = startAdapter(
        {
          REDIS_URL: redis.url,
          REDIS_STREAM: STREAM,
          ADAPTER_STATE_DIR: join(dir, "state"),
          DATA_DIR: join(dir, "data"),
          FAKE_XTQUANT_TICKS: TICKS,
        },
        nodeArgs,
      )
      await waitForBars(redis.client, 20, adapter)
      const t0 = Date.now()
      adapter.child.kill("SIGINT")
      expect(await adapter.exited, adapter.output()).toBe(0)
      expect(Date.now() - t0).toBeLessThan(stopMs)
      // The bridge went with it: NSSM's process-tree kill is the last resort, not the way it stops.
      expect(adapter.bridgePids().length).toBeGreaterThan(0)
      for (const pid of adapter.bridgePids()) expect(() => process.kill(pid, 0), `bridge ${pid}`).toThrow()
      expect(adapter.output()).not.toMatch(/\n\s+at |Unhandled error/)
    } finally {
      await redis.stop()
    }
  })
})
