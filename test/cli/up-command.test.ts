import { type ChildProcess, spawn } from "node:child_process"
import { rmSync } from "node:fs"
import { afterAll, describe, expect, it } from "vitest"
import { freePort } from "../../src/adapters/process/free-port.ts"
import { instrumentsOf, makeUniverse } from "../../src/adapters/simulator/universe.ts"
import { eventually } from "../support/runtime.ts"
import { tempDir } from "../support/servers.ts"

const portIsFree = async (port: number) => {
  const { connect } = await import("node:net")
  return new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1")
    s.once("connect", () => {
      s.destroy()
      resolve(false)
    })
    s.once("error", () => resolve(true))
  })
}

describe("minutebar up: the README's first command", () => {
  const dir = tempDir("up")
  let child: ChildProcess | undefined
  let output = ""
  afterAll(async () => {
    // After a failed check `up` is still running: a SIGTERM lets it stop its private servers too (they run in
    // their own process group, so a SIGKILL of `up` would leave them behind).
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child!.once("exit", resolve))
      child.kill("SIGTERM")
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it("brings the system up on embedded defaults, serves bars, and stops cleanly on Ctrl-C", async () => {
    const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
    child = spawn(process.execPath, ["src/main.ts", "up"], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        HTTP_PORT: String(http),
        EMBEDDED_REDIS_PORT: String(redis),
        EMBEDDED_NATS_PORT: String(nats),
        SIM_SYMBOLS: "100",
        SIM_SPEED: "max",
        SIM_DAY: "2024-03-05",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // A process group of its own, as a shell gives a command: Ctrl-C signals the whole group.
      detached: true,
    })
    child.stdout?.on("data", (d) => (output += d))
    child.stderr?.on("data", (d) => (output += d))
    await eventually(async () => output.includes("minutebar is up"), 60_000, `the up message; got: ${output}`)
    expect(output).toContain(`http://127.0.0.1:${http}/`)
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
      throw new Error(`${e.message}; output: ${output}`)
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
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)))
    // Ctrl-C in a terminal: SIGINT to the whole group. The private servers must outlive the pipelines' stop.
    process.kill(-child.pid!, "SIGINT")
    const code = await exited
    expect(code).toBe(0)
    expect(output).not.toMatch(/ECONNREFUSED|Unhandled error/)
    // Its private servers went with it.
    expect(await portIsFree(redis)).toBe(true)
    expect(await portIsFree(nats)).toBe(true)
    expect(await portIsFree(http)).toBe(true)
  })

  it("stops cleanly, its servers too, when its terminal is closed (SIGHUP)", async () => {
    const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
    const hupDir = tempDir("up-hup")
    const up = spawn(process.execPath, ["src/main.ts", "up"], {
      env: {
        ...process.env,
        DATA_DIR: hupDir,
        HTTP_PORT: String(http),
        EMBEDDED_REDIS_PORT: String(redis),
        EMBEDDED_NATS_PORT: String(nats),
        SIM_SYMBOLS: "10",
        SIM_SPEED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    up.stdout?.on("data", (d) => (out += d))
    up.stderr?.on("data", (d) => (out += d))
    await eventually(async () => out.includes("minutebar is up"), 60_000, `the up message; got: ${out}`)
    const code = new Promise<number | null>((resolve) => up.once("exit", (c) => resolve(c)))
    up.kill("SIGHUP")
    expect(await code, out).toBe(0)
    expect(await portIsFree(redis)).toBe(true)
    expect(await portIsFree(nats)).toBe(true)
    rmSync(hupDir, { recursive: true, force: true })
  })

  it("stops with the error, in one line, when a part on its own thread fails", async () => {
    const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
    const failDir = tempDir("up-fail")
    const failing = spawn(process.execPath, ["src/main.ts", "up"], {
      env: {
        ...process.env,
        DATA_DIR: failDir,
        HTTP_PORT: String(http),
        EMBEDDED_REDIS_PORT: String(redis),
        EMBEDDED_NATS_PORT: String(nats),
        SIM_SYMBOLS: "10",
        SIM_SPEED: "max",
        SIM_DAY: "2024-03-05",
        // After the close: the simulated source's window is empty, and its thread fails.
        SIM_FROM: "23:00:00",
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    failing.stdout?.on("data", (d) => (out += d))
    failing.stderr?.on("data", (d) => (out += d))
    const code = await new Promise<number | null>((resolve) => failing.once("exit", (c) => resolve(c)))
    expect(code).toBe(1)
    expect(out).toContain("minutebar: the source thread stopped: bad simulated window 23:00:00..15:01")
    expect(out).not.toMatch(/\n\s+at /)
    expect(await portIsFree(redis)).toBe(true)
    expect(await portIsFree(nats)).toBe(true)
    rmSync(failDir, { recursive: true, force: true })
  })
})
