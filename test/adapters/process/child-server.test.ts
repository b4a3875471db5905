import { spawn } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { freePort } from "../../../src/adapters/process/free-port.ts"
import { isRunning } from "../../../src/adapters/process/process-state.ts"
import { ensureServerBinaries, REDIS_SERVER } from "../../../src/adapters/process/server-binaries.ts"
import { redisServer, redisUrl } from "../../../src/adapters/redis/redis-server-process.ts"
import { tempDir } from "../../support/servers.ts"

const binary = () => ensureServerBinaries([REDIS_SERVER], () => {})["redis-server"]!
/** A process that starts the server and is then killed with SIGKILL, as `minutebar up` might be. */
const startAndDie = async (dataDir: string, port: number): Promise<number> => {
  const script = `
    import { redisServer } from ${JSON.stringify(join(process.cwd(), "src/adapters/redis/redis-server-process.ts"))}
    const s = redisServer({ binary: ${JSON.stringify(binary())}, port: ${port}, dataDir: ${JSON.stringify(dataDir)} })
    await s.start()
    console.log("up")
    setInterval(() => {}, 1000)`
  const owner = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  })
  await new Promise<void>((resolve) => owner.stdout!.once("data", () => resolve()))
  const gone = new Promise((r) => owner.once("exit", r))
  owner.kill("SIGKILL")
  await gone
  return Number(readFileSync(join(dataDir, "redis-server.pid"), "utf8"))
}

describe("a private server whose owner was killed", () => {
  const dir = tempDir("child-server")
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("is stopped by the next start on its data directory, which then runs its own with the same data", async () => {
    const dataDir = join(dir, "redis")
    const port = await freePort()
    const leftover = await startAndDie(dataDir, port)
    expect(isRunning(leftover)).toBe(true)
    const before = new Redis(redisUrl(port))
    await before.set("kept", "yes")
    before.disconnect()

    const server = redisServer({ binary: binary(), port, dataDir })
    try {
      expect(await server.start()).toEqual({ stoppedLeftover: leftover })
      expect(isRunning(leftover)).toBe(false)
      const after = new Redis(redisUrl(port))
      expect(await after.get("kept")).toBe("yes") // its AOF, flushed by the clean stop
      after.disconnect()
    } finally {
      await server.stop()
      if (isRunning(leftover)) process.kill(leftover, "SIGKILL")
    }
    expect(existsSync(join(dataDir, "redis-server.pid"))).toBe(false)
  })

  it("a port held by something else is refused at once, not mistaken for the server", async () => {
    const holder = createServer().listen(0, "127.0.0.1")
    await new Promise((r) => holder.once("listening", r))
    const port = (holder.address() as { port: number }).port
    const server = redisServer({ binary: binary(), port, dataDir: join(dir, "taken") })
    await expect(server.start()).rejects.toThrow(`127.0.0.1:${port} is in use by another process`)
    holder.close()
  })
})
