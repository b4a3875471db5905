/** The HTTP API: one sub-app per resource, one way out for errors (no stack traces to users). */
import { Hono } from "hono"
import type { BarQueries } from "../adapters/clickhouse/bar-queries.ts"
import type { NatsClient } from "../adapters/nats/nats-client.ts"
import { type AccessOptions, applyAccess } from "./access.ts"
import { errorResponse } from "./api-error.ts"
import { type LiveApi, mountLiveApi } from "./live-api.ts"
import type { GaugeSource } from "./pipeline-gauges.ts"
import { barsRoute } from "./routes/bars-route.ts"
import { clientsRoute } from "./routes/clients-route.ts"
import { type HealthProbe, healthRoute } from "./routes/health-route.ts"
import { metricsRoute } from "./routes/metrics-route.ts"
import { pageRoute } from "./routes/page-route.ts"
import type { RunEffect } from "./run-effect.ts"

export interface AppDeps {
  readonly run: RunEffect<BarQueries>
  readonly probes: ReadonlyArray<HealthProbe>
  readonly log?: (line: string) => void
  /** Latest bars, symbols, overview, stream; without it those routes are absent. */
  readonly live?: LiveApi
  readonly access?: AccessOptions
  readonly gauges?: ReadonlyArray<GaugeSource>
  /** NATS for /api/clients (the log's named clients); without it that route answers 503. */
  readonly clients?: RunEffect<NatsClient>
}

export const makeApp = (deps: AppDeps) => {
  const app = new Hono()
  applyAccess(app, deps.access ?? {})
  mountLiveApi(app, deps.live)
  app.route("/health", healthRoute(deps.probes))
  app.route("/metrics", metricsRoute(deps.gauges))
  app.route("/api/bars", barsRoute(deps.run))
  app.route("/api/clients", clientsRoute(deps.clients))
  app.route("/", pageRoute())
  app.notFound((c) =>
    errorResponse(c, { status: 404, code: "not_found", message: `no route ${c.req.method} ${c.req.path}` }),
  )
  app.onError((err, c) => {
    deps.log?.(`http ${c.req.method} ${c.req.path} failed: ${err.message}`)
    return errorResponse(c, {
      status: 500,
      code: "internal",
      message: "internal error; the server log has details",
    })
  })
  return app
}
