/**
 * Bad API parameters for the bad-input pass: hand-written cases that must be refused (400/404) and seeded
 * random query strings on every endpoint that must at least never be a 5xx; every error must be JSON
 * `{error:{code,message}}`. Node's HTTP parser answers over-long URLs itself (431), outside the app.
 */
import { makeRng } from "../src/adapters/simulator/prng.ts"

export interface ApiCase {
  readonly path: string
  readonly method?: "GET" | "DELETE" | "POST"
  /** Must be refused with 400 or 404; otherwise any answer but a 5xx will do (e.g. 200 with no bars). */
  readonly refuse: boolean
}

export interface ApiSummary {
  readonly requests: number
  readonly refused: number
  readonly serverErrors: string[]
  readonly notRefused: string[]
  readonly badShape: string[]
  readonly byStatus: Record<string, number>
}

const q = encodeURIComponent

const refuse = (path: string, method: ApiCase["method"] = "GET"): ApiCase => ({ path, method, refuse: true })
const either = (path: string, method: ApiCase["method"] = "GET"): ApiCase => ({ path, method, refuse: false })

/** /api/bars: `k` is a symbol the system has, so only the parameter under test is wrong. */
const barsCases = (k: string): ApiCase[] => {
  const bars = (p: string) => `/api/bars?symbol=${k}&${p}`
  return [
    refuse("/api/bars"),
    ...["abc", "000001", "000001.XX", "平安银行", "000001.SZ%00", "", "x".repeat(10_000)].map((s) =>
      refuse(`/api/bars?symbol=${q(s)}`),
    ),
    refuse("/api/bars?symbol=999999.SZ"),
    refuse(`/api/bars?symbol=${"9".repeat(100_000)}`),
    ...["7m", "1M", "", "NaN"].map((p) => refuse(bars(`period=${q(p)}`))),
    ...["NaN", "-1", "0", "1.5", "1e309", "100001", "abc", ""].map((l) => refuse(bars(`limit=${q(l)}`))),
    ...["not-a-date", "2024-13-45", "NaN", "-1", "９"].map((t) => refuse(bars(`start=${q(t)}`))),
    refuse(bars("end=abc")),
    refuse(bars("adjust=sideways")),
    // Lenient but meaning something (hex 16, an ISO time), or well-formed with nothing to show.
    either(bars("limit=0x10")),
    either(bars(`start=${q("2024-03-05T10:00")}`)),
    either(bars("start=2999-01-01")),
    either(bars("start=9999-12-31%2023:59:59")),
    either(bars("start=2024-03-06&end=2024-03-05")),
    either(bars("period=5m&period=1m")),
    either(`/api/bars?symbol=${k}&symbol=abc`),
    either(`/api/bars?symbol=${k}`, "POST"),
  ]
}

/** The other endpoints; no DELETE names a real client. */
const otherCases = (k: string): ApiCase[] => [
  refuse("/api/latest"),
  ...["abc", "", ",", `${k},abc`, Array.from({ length: 201 }, (_, i) => `${600000 + i}.SH`).join(",")].map(
    (s) => refuse(`/api/latest?symbols=${q(s)}`),
  ),
  either("/api/latest?symbols=999999.SZ"),
  ...["0", "501", "NaN", "-3", "2.5"].map((l) => refuse(`/api/symbols?limit=${l}`)),
  refuse(`/api/symbols?q=${"a".repeat(41)}`),
  refuse(`/api/symbols?q=${"q".repeat(100_000)}`),
  either(`/api/symbols?q=${q("平安")}`),
  refuse("/api/stream"),
  refuse("/api/stream?symbols=abc"),
  either("/api/overview?x=1"),
  refuse("/api/clients/bad%20name!", "DELETE"),
  refuse(`/api/clients/${"n".repeat(65)}`, "DELETE"),
  refuse("/api/clients/no-such-client", "DELETE"),
  refuse("/api/nope"),
  refuse("/api/bars/extra"),
  either("/health?verbose=NaN"),
  either("/metrics?x=%FF"),
]

/** Cases that are wrong whatever the data: `k` is a symbol the system has. */
export const fixedCases = (k: string): ApiCase[] => [...barsCases(k), ...otherCases(k)]

const PATHS = ["/api/bars", "/api/latest", "/api/symbols", "/api/overview", "/api/stream", "/health"]
const PARAMS = ["symbol", "symbols", "period", "start", "end", "limit", "adjust", "q"]
const NASTY = [
  "NaN",
  "-1",
  "1e309",
  "",
  "null",
  "[]",
  "%00",
  "%FF",
  "平安",
  "🙂",
  "9".repeat(5_000),
  "2999-01-01",
]

/** Seeded random query strings: 1..4 known or made-up parameters with nasty or plausible values. */
export const randomCases = (seed: number, n: number, k: string): ApiCase[] => {
  const rng = makeRng()
  rng.reseed(seed, 1, 0)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(rng.unit() * xs.length)]!
  return Array.from({ length: n }, () => {
    const params = Array.from({ length: 1 + Math.floor(rng.unit() * 4) }, () => {
      const value = rng.unit() < 0.3 ? pick([k, "5m", "front", "10", "2024-03-05"]) : pick(NASTY)
      const name = rng.unit() < 0.9 ? pick(PARAMS) : pick(NASTY.slice(0, 9))
      return `${q(name)}=${value.startsWith("%") ? value : q(value)}`
    })
    // The stream answers a good query with an endless body: only its refusals are of interest here.
    return { path: `${pick(PATHS)}?${params.join("&")}`, refuse: false }
  })
}

const isErrorShape = (body: unknown): boolean => {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error
  return typeof e?.code === "string" && typeof e.message === "string"
}

// 414/431: Node's HTTP parser refuses an over-long URL before the app sees it.
const REFUSALS = new Set([400, 404, 414, 431])

type Answer = { readonly status: number; readonly body: unknown } | Error

/** One request; a 200 event stream is answered from its headers (its body never ends). */
const ask = async (base: string, c: ApiCase): Promise<Answer> => {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), 10_000)
  try {
    const res = await fetch(base + c.path, { method: c.method ?? "GET", signal: abort.signal })
    const stream = (res.headers.get("content-type") ?? "").includes("event-stream")
    return { status: res.status, body: stream ? undefined : await res.json().catch(() => undefined) }
  } catch (e) {
    return e as Error
  } finally {
    abort.abort()
    clearTimeout(timer)
  }
}

/** Sends every case and tallies: counts, and a line per finding (a 5xx, a wrong request let through, a body of another shape). */
export const sendAll = async (base: string, cases: ReadonlyArray<ApiCase>): Promise<ApiSummary> => {
  const out = {
    requests: 0,
    refused: 0,
    serverErrors: [] as string[],
    notRefused: [] as string[],
    badShape: [] as string[],
    byStatus: {} as Record<string, number>,
  }
  for (const c of cases) {
    const label = `${c.method ?? "GET"} ${c.path.slice(0, 80)}`
    const a = await ask(base, c)
    out.requests++
    if (a instanceof Error) {
      out.serverErrors.push(`${label}: ${a.message}`)
      continue
    }
    out.byStatus[a.status] = (out.byStatus[a.status] ?? 0) + 1
    if (a.status >= 500) out.serverErrors.push(`${label}: ${a.status}`)
    else if (REFUSALS.has(a.status)) out.refused++
    else if (c.refuse) out.notRefused.push(`${label}: ${a.status}`)
    if (a.status >= 400 && a.status !== 431 && a.status !== 414 && !isErrorShape(a.body))
      out.badShape.push(`${label}: ${a.status}`)
  }
  return out
}
