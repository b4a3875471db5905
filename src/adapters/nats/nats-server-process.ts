/** A private nats-server with JetStream file storage, for embedded mode and tests. */
import { ChildServer } from "../process/child-server.ts"

export interface NatsServerOptions {
  readonly binary: string
  readonly port: number
  readonly dataDir: string
}

export const natsServer = (o: NatsServerOptions): ChildServer =>
  new ChildServer({
    name: "nats-server",
    binary: o.binary,
    port: o.port,
    dataDir: o.dataDir,
    args: ["-js", "-sd", o.dataDir, "-p", String(o.port), "-a", "127.0.0.1"],
  })

export const natsUrl = (port: number): string => `nats://127.0.0.1:${port}`
