/** `GET /health`: each backing system answers within 2 s, or the whole answer is 503 naming which did not. */
import { Cause, Data, Effect } from "effect"
import { Hono } from "hono"

/** A probe that answered but found something wrong (stale data): its reason is shown instead of "did not answer". */
export class ProbeDegraded extends Data.TaggedError("ProbeDegraded")<{ readonly reason: string }> {}

export interface HealthProbe {
  readonly name: string
  readonly check: Effect.Effect<void, unknown>
}

const probe = (p: HealthProbe) =>
  p.check.pipe(
    Effect.timeout("2 seconds"),
    Effect.as({ status: "ok" } as { status: string; error?: string }),
    Effect.catchCause((cause) => {
      const e = Cause.squash(cause)
      const error = e instanceof ProbeDegraded ? e.reason : `${p.name} did not answer`
      return Effect.succeed({ status: "error", error })
    }),
  )

export const healthRoute = (probes: ReadonlyArray<HealthProbe>, startedAt = Date.now()) =>
  new Hono().get("/", async (c) => {
    const results = await Effect.runPromise(
      Effect.all(
        probes.map((p) => Effect.map(probe(p), (r) => [p.name, r] as const)),
        { concurrency: "unbounded" },
      ),
    )
    const ok = results.every(([, r]) => r.status === "ok")
    return c.json(
      {
        status: ok ? "ok" : "degraded",
        uptimeS: Math.round((Date.now() - startedAt) / 1000),
        checks: Object.fromEntries(results),
      },
      ok ? 200 : 503,
    )
  })
