/** Private redis-server and nats-server on free ports in a temp dir, for one test file. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { natsServer, natsUrl } from "../../src/adapters/nats/nats-server-process.ts"
import type { ChildServer } from "../../src/adapters/process/child-server.ts"
import { freePort } from "../../src/adapters/process/free-port.ts"
import {
  ensureServerBinaries,
  NATS_SERVER,
  REDIS_SERVER,
} from "../../src/adapters/process/server-binaries.ts"
import { redisServer, redisUrl } from "../../src/adapters/redis/redis-server-process.ts"

export interface TestServers {
  readonly dir: string
  readonly redis: ChildServer
  readonly nats: ChildServer
  readonly redisUrl: string
  readonly natsUrl: string
  stop(): Promise<void>
}

export interface ServerOptions {
  /** `always`: an XADD Redis acknowledged survives even a redis-server kill (fault tests). */
  readonly appendfsync?: "always" | "everysec"
}

export const startServers = async (o: ServerOptions = {}): Promise<TestServers> => {
  const bins = ensureServerBinaries([REDIS_SERVER, NATS_SERVER], () => {})
  const dir = mkdtempSync(join(tmpdir(), "minutebar-test-"))
  const [rp, np] = [await freePort(), await freePort()]
  const redis = redisServer({
    binary: bins["redis-server"]!,
    port: rp,
    dataDir: join(dir, "redis"),
    ...(o.appendfsync === undefined ? {} : { appendfsync: o.appendfsync }),
  })
  const nats = natsServer({ binary: bins["nats-server"]!, port: np, dataDir: join(dir, "nats") })
  await Promise.all([redis.start(), nats.start()])
  return {
    dir,
    redis,
    nats,
    redisUrl: redisUrl(rp),
    natsUrl: natsUrl(np),
    stop: async () => {
      await Promise.all([redis.stop(), nats.stop()])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `minutebar-${prefix}-`))
