/**
 * `GET /api/clients`: the named clients of the log (name, filter, pending, ack floor, last active);
 * `DELETE /api/clients/:name`: removes one (its next run starts afresh).
 */
import { Schema } from "effect"
import { Hono } from "hono"
import { ClientName, listClients, removeClient } from "../../adapters/nats/client-consumers.ts"
import type { NatsClient } from "../../adapters/nats/nats-client.ts"
import { errorResponse } from "../api-error.ts"
import type { RunEffect } from "../run-effect.ts"

const isClientName = Schema.is(ClientName)

/** `run` undefined: this server has no NATS connection for client management, every call answers 503. */
export const clientsRoute = (run: RunEffect<NatsClient> | undefined) => {
  const unavailable = {
    status: 503,
    code: "unavailable",
    message: "client management is not configured",
  } as const
  return new Hono()
    .get("/", async (c) => {
      if (run === undefined) return errorResponse(c, unavailable)
      return c.json({ clients: await run(listClients()) })
    })
    .delete("/:name", async (c) => {
      if (run === undefined) return errorResponse(c, unavailable)
      const name = c.req.param("name")
      if (!isClientName(name))
        return errorResponse(c, {
          status: 400,
          code: "bad_parameter",
          message: "name: a client name is 1 to 64 letters, digits, _ or -",
          param: "name",
        })
      if (!(await run(removeClient(name))))
        return errorResponse(c, { status: 404, code: "not_found", message: `no client named ${name}` })
      return c.json({ removed: name })
    })
}
