/** A private redis-server with an append-only file, for embedded mode and tests. */
import { ChildServer } from "../process/child-server.ts"

export interface RedisServerOptions {
  readonly binary: string
  readonly port: number
  readonly dataDir: string
  /** `always` survives a power cut; `everysec` loses at most a second on a crash, not on a clean stop. */
  readonly appendfsync?: "always" | "everysec"
}

export const redisServer = (o: RedisServerOptions): ChildServer =>
  new ChildServer({
    name: "redis-server",
    binary: o.binary,
    port: o.port,
    dataDir: o.dataDir,
    args: [
      "--port",
      String(o.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      o.dataDir,
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      o.appendfsync ?? "everysec",
      "--protected-mode",
      "yes",
    ],
  })

export const redisUrl = (port: number): string => `redis://127.0.0.1:${port}`
