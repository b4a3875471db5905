import { Effect, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { makeApp } from "../../src/http/app.ts"

const app = (access: { token?: string; corsOrigins?: string }) =>
  makeApp({
    run: (e) => Effect.runPromise(e as Effect.Effect<never>),
    probes: [{ name: "clickhouse", check: Effect.void }],
    access: {
      ...(access.token === undefined ? {} : { token: Redacted.make(access.token) }),
      corsOrigins: access.corsOrigins,
    },
  })

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

describe("API_TOKEN: a bearer token on everything but /health and the page's files", () => {
  const secured = app({ token: "s3cret" })

  it("without a token, or with a wrong one, the API answers 401 with the error shape", async () => {
    for (const init of [{}, bearer("nope"), { headers: { authorization: "Basic czNjcmV0" } }]) {
      const res = await secured.request("/api/openapi.json", init)
      expect(res.status).toBe(401)
      expect(res.headers.get("www-authenticate")).toContain("Bearer")
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } })
    }
    expect((await secured.request("/metrics")).status).toBe(401)
    expect((await secured.request("/api/bars?symbol=000001.SZ")).status).toBe(401)
  })

  it("with the token the request goes through", async () => {
    expect((await secured.request("/api/openapi.json", bearer("s3cret"))).status).toBe(200)
    expect((await secured.request("/metrics", bearer("s3cret"))).status).toBe(200)
  })

  it("/health, the page and its assets need no token", async () => {
    expect((await secured.request("/health")).status).toBe(200)
    expect((await secured.request("/")).status).toBe(200)
    expect((await secured.request("/assets/app.js")).status).toBe(200)
  })

  it("EventSource cannot send headers: /api/stream alone also takes ?token=", async () => {
    // No live view in this app, so past the token check the stream route is simply not there (404).
    expect((await secured.request("/api/stream?symbols=000001.SZ")).status).toBe(401)
    expect((await secured.request("/api/stream?symbols=000001.SZ&token=s3cret")).status).toBe(404)
    expect((await secured.request("/api/openapi.json?token=s3cret")).status).toBe(401)
  })

  it("without API_TOKEN nothing asks for one", async () => {
    expect((await app({}).request("/api/openapi.json")).status).toBe(200)
  })
})

describe("CORS_ORIGINS", () => {
  it("a listed origin gets Access-Control-Allow-Origin, also on a preflight that carries no token", async () => {
    const a = app({ token: "s3cret", corsOrigins: "https://a.example, https://b.example" })
    const res = await a.request("/api/openapi.json", {
      headers: { origin: "https://b.example", authorization: "Bearer s3cret" },
    })
    expect(res.headers.get("access-control-allow-origin")).toBe("https://b.example")
    const preflight = await a.request("/api/latest", {
      method: "OPTIONS",
      headers: { origin: "https://a.example", "access-control-request-method": "GET" },
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization")
    const other = await a.request("/api/openapi.json", {
      headers: { origin: "https://evil.example", ...bearer("s3cret").headers },
    })
    expect(other.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("`*` allows any origin; unset sends no CORS headers (same-origin only)", async () => {
    const any = await app({ corsOrigins: "*" }).request("/api/openapi.json", {
      headers: { origin: "https://x.example" },
    })
    expect(any.headers.get("access-control-allow-origin")).toBe("*")
    const none = await app({}).request("/api/openapi.json", { headers: { origin: "https://x.example" } })
    expect(none.headers.get("access-control-allow-origin")).toBeNull()
  })
})
