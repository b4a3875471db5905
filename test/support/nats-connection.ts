/** Private servers and one NATS connection for a describe block: started before its tests, closed after them. */
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { afterAll, beforeAll } from "vitest"
import { startServers, type TestServers } from "./servers.ts"

export const natsConnection = () => {
  let servers: TestServers | undefined
  let nc: NatsConnection | undefined
  beforeAll(async () => {
    servers = await startServers()
    nc = await connect({ servers: servers.natsUrl })
  })
  afterAll(async () => {
    await nc?.close()
    await servers?.stop()
  })
  return {
    get servers(): TestServers {
      if (servers === undefined) throw new Error("the servers start in beforeAll")
      return servers
    },
    get nc(): NatsConnection {
      if (nc === undefined) throw new Error("the connection opens in beforeAll")
      return nc
    },
  }
}
