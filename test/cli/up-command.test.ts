import { rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { freePort, portInUse } from "../../src/adapters/process/free-port.ts"
import { instrumentsOf, makeUniverse } from "../../src/adapters/simulator/universe.ts"
import { type MinutebarProcess, spawnMinutebar, untilPrinted } from "../support/minutebar-process.ts"
import { eventually } from "../support/runtime.ts"
import { tempDir } from "../support/servers.ts"

const portIsFree = async (port: number) => !(await portInUse(port))

interface UpRun extends MinutebarProcess {
  readonly http: number
  readonly redis: number
  readonly nats: number
}

const runs: UpRun[] = []

/** `minutebar up` on private ports and a data directory of its own. */
const startUp = async (dir: string, env: Record<string, string>, detached = false): Promise<UpRun> => {
  const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
  const up = spawnMinutebar(["src/main.ts", "up"], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      HTTP_PORT: String(http),
      EMBEDDED_REDIS_PORT: String(redis),
      EMBEDDED_NATS_PORT: String(nats),
      ...env,
    },
    // A process group of its own, as a shell gives a command: Ctrl-C signals the whole group.
    detached,
  })
  const run = { ...up, http, redis, nats }
  runs.push(run)
  return run
}

const untilUp = (up: UpRun) => untilPrinted(up, "minutebar is up")

describe("minutebar up: the README's first command", () => {
  const dir = tempDir("up")
  afterAll(async () => {
    // After a failed check `up` is still running: a SIGTERM lets it stop its private servers too (they run in
    // their own process group, so a SIGKILL of `up` would leave them behind).
    for (const up of runs)
      if (up.child.exitCode === null && up.child.signalCode === null) {
        up.child.kill("SIGTERM")
        await up.exited
      }
    rmSync(dir, { recursive: true, force: true })
  })

  it("brings the system up on embedded defaults, serves bars, and stops cleanly on Ctrl-C", async () => {
    const up = await startUp(
      join(dir, "ctrl-c"),
      { SIM_SYMBOLS: "100", SIM_SPEED: "max", SIM_DAY: "2024-03-05" },
      true,
    )
    const { http, redis, nats } = up
    await untilUp(up)
    expect(up.output()).toContain(`http://127.0.0.1:${http}/`)
    const symbol = instrumentsOf(makeUniverse({ seed: 1, symbols: 100 }))[0]!.symbol
    const symbols = await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${http}/api/bars?symbol=${symbol}&period=1m`).catch(
          () => undefined,
        )
        return res?.ok === true && ((await res.json()) as { bars: unknown[] }).bars.length > 0
      },
      60_000,
      "bars from the API",
    ).catch((e) => {
      throw new Error(`${e.message}; output: ${up.output()}`)
    })
    expect(symbols).toBeUndefined()
    const health = await fetch(`http://127.0.0.1:${http}/health`)
    expect(health.status, await health.clone().text()).toBe(200)
    // The source and the relay run on threads of their own; their counters are in this process's /metrics.
    await eventually(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
        return ["source", "relay", "projection"].every((stage) =>
          new RegExp(`minutebar_events_total\\{stage="${stage}"\\} [1-9]`).test(metrics),
        )
      },
      30_000,
      "the source, relay and projection counters in /metrics",
    )
    // Which part spends the cores: each thread's CPU, the relay's and the source's as their threads report it.
    await eventually(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text()
        const cpu = (thread: string) =>
          new RegExp(`^minutebar_cpu_seconds_total\\{thread="${thread}"\\} (\\S+)`, "m").exec(metrics)?.[1]
        return ["main", "relay", "source"].every((t) => Number(cpu(t)) > 0) && cpu("native") !== undefined
      },
      30_000,
      "CPU seconds of each thread in /metrics",
    )
    // The latest-bar view takes what the relay published (from its thread).
    await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${http}/api/latest?symbols=${symbol}`)
        const body = (await res.json()) as { quotes?: { symbol: string }[] }
        return body.quotes?.[0]?.symbol === symbol
      },
      30_000,
      "the symbol's quote in /api/latest",
    )
    // Ctrl-C in a terminal: SIGINT to the whole group. The private servers must outlive the pipelines' stop.
    process.kill(-up.child.pid!, "SIGINT")
    expect(await up.exited).toBe(0)
    expect(up.output()).not.toMatch(/ECONNREFUSED|Unhandled error/)
    // Its private servers went with it.
    expect(await portIsFree(redis)).toBe(true)
    expect(await portIsFree(nats)).toBe(true)
    expect(await portIsFree(http)).toBe(true)
  })

  it("stops cleanly, its servers too, when its terminal is closed (SIGHUP)", async () => {
    const up = await startUp(join(dir, "hup"), { SIM_SYMBOLS: "10", SIM_SPEED: "1" })
    await untilUp(up)
    up.child.kill("SIGHUP")
    expect(await up.exited, up.output()).toBe(0)
    expect(await portIsFree(up.redis)).toBe(true)
    expect(await portIsFree(up.nats)).toBe(true)
  })

  it("stops with the error, in one line, when a part on its own thread fails", async () => {
    const up = await startUp(join(dir, "fail"), {
      SIM_SYMBOLS: "10",
      SIM_SPEED: "max",
      SIM_DAY: "2024-03-05",
      // After the close: the simulated source's window is empty, and its thread fails.
      SIM_FROM: "23:00:00",
    })
    expect(await up.exited).toBe(1)
    expect(up.output()).toContain(
      "minutebar: the source thread stopped: bad simulated window 23:00:00..15:01",
    )
    expect(up.output()).not.toMatch(/\n\s+at /)
    expect(await portIsFree(up.redis)).toBe(true)
    expect(await portIsFree(up.nats)).toBe(true)
  })
})
