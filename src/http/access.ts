/**
 * Who may call the API: an optional bearer token (API_TOKEN) on everything but /health and the page's own
 * files, and CORS for the configured origins. Browsers' EventSource cannot send headers, so /api/stream also
 * takes the token as `?token=`.
 */
import { createHash, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"
import type { Context, Hono, Next } from "hono"
import { cors } from "hono/cors"
import { errorResponse } from "./api-error.ts"

export interface AccessOptions {
  readonly token?: Redacted.Redacted<string> | undefined
  /** A comma list of origins, `*`, or empty for same-origin only. */
  readonly corsOrigins?: string | undefined
}

const isPublic = (path: string): boolean => path === "/health" || path === "/" || path.startsWith("/assets/")

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (s: string): Buffer => createHash("sha256").update(s).digest()

const presented = (c: Context): string | undefined => {
  const header = c.req.header("authorization")
  if (header?.startsWith("Bearer ")) return header.slice(7).trim()
  return c.req.path === "/api/stream" ? c.req.query("token") : undefined
}

const bearer = (token: Redacted.Redacted<string>) => {
  const expected = digest(Redacted.value(token))
  return async (c: Context, next: Next) => {
    if (c.req.method === "OPTIONS" || isPublic(c.req.path)) return next()
    const given = presented(c)
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next()
    c.header("www-authenticate", 'Bearer realm="minutebar"')
    return errorResponse(c, {
      status: 401,
      code: "unauthorized",
      message:
        given === undefined
          ? "this API needs a token: send Authorization: Bearer <API_TOKEN>"
          : "the token is not the API's token",
    })
  }
}

const origins = (text: string | undefined): string | string[] | undefined => {
  const list = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
  if (list.length === 0) return undefined
  return list.includes("*") ? "*" : list
}

/** Registers CORS and the token check; call before any route so both run first. */
export const applyAccess = (app: Hono, options: AccessOptions): void => {
  const origin = origins(options.corsOrigins)
  if (origin !== undefined)
    app.use(
      "*",
      cors({
        origin,
        allowMethods: ["GET", "HEAD", "OPTIONS"],
        allowHeaders: ["Authorization"],
        maxAge: 600,
      }),
    )
  if (options.token !== undefined) app.use("*", bearer(options.token))
}
