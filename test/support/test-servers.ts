/**
 * Private servers for a describe block: started before its tests, stopped after them. Helpers that add to
 * them (a connection, a runtime) register their hooks after these: vitest runs after-hooks in reverse, so
 * theirs close before the servers stop.
 */
import { afterAll, beforeAll } from "vitest"
import { startServers, type TestServers } from "./servers.ts"

export const testServers = () => {
  let servers: TestServers | undefined
  beforeAll(async () => {
    servers = await startServers()
  })
  afterAll(async () => {
    await servers?.stop()
  })
  return (): TestServers => {
    if (servers === undefined) throw new Error("the servers start in beforeAll")
    return servers
  }
}
