/** Serves a Hono app on Node for the life of a scope; closing the scope stops accepting and closes sockets. */
import { type ServerType, serve } from "@hono/node-server"
import { Effect } from "effect"
import type { Hono } from "hono"

export const serveScoped = (app: Hono, host: string, port: number) =>
  Effect.acquireRelease(
    Effect.callback<ServerType, Error>((resume) => {
      const server = serve({ fetch: app.fetch, hostname: host, port }, () => resume(Effect.succeed(server)))
      server.once("error", (e) =>
        resume(Effect.fail(new Error(`cannot listen on ${host}:${port}: ${e.message}`))),
      )
    }),
    (server) =>
      Effect.callback<void>((resume) => {
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        server.close(() => resume(Effect.void))
      }),
  )
