/** Private servers and one NATS connection for a describe block: started before its tests, closed after them. */
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { afterAll, beforeAll } from "vitest"
import type { TestServers } from "./servers.ts"
import { testServers } from "./test-servers.ts"

export const natsConnection = () => {
  const servers = testServers()
  let nc: NatsConnection | undefined
  beforeAll(async () => {
    nc = await connect({ servers: servers().natsUrl })
  })
  afterAll(async () => {
    await nc?.close()
  })
  return {
    get servers(): TestServers {
      return servers()
    },
    get nc(): NatsConnection {
      if (nc === undefined) throw new Error("the connection opens in beforeAll")
      return nc
    },
  }
}
