// Calls to the minutebar API: the token (API_TOKEN) comes once from `?token=` and is kept in localStorage.

const KEY = "minutebar.token"

export function takeTokenFromUrl() {
  const url = new URL(location.href)
  const token = url.searchParams.get("token")
  if (token === null) return
  localStorage.setItem(KEY, token)
  // Out of the address bar, so it is not bookmarked or shared by accident.
  url.searchParams.delete("token")
  history.replaceState(null, "", url)
}

export const token = () => localStorage.getItem(KEY) ?? ""

export function setToken(value) {
  if (value) localStorage.setItem(KEY, value)
  else localStorage.removeItem(KEY)
}

/** An API error with the server's code and message, or a network failure (code "network"). */
export class ApiError extends Error {
  constructor(status, code, message, param) {
    super(message)
    this.status = status
    this.code = code
    this.param = param
  }
}

export async function getJson(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""))
  const url = query.size > 0 ? `${path}?${query}` : path
  const headers = token() ? { authorization: `Bearer ${token()}` } : {}
  let res
  try {
    res = await fetch(url, { headers })
  } catch (e) {
    throw new ApiError(0, "network", `cannot reach the server (${e.message})`)
  }
  const body = await res.json().catch(() => undefined)
  if (res.ok && body !== undefined) return body
  const err = body?.error
  if (err) throw new ApiError(res.status, err.code, err.message, err.param)
  throw new ApiError(res.status, "server", `the server answered ${res.status} ${res.statusText}`)
}

/** Server-Sent Events of the symbols' quotes; EventSource sends no headers, so the token goes in the URL. */
export function openStream(symbols) {
  const query = new URLSearchParams({ symbols: symbols.join(",") })
  if (token()) query.set("token", token())
  return new EventSource(`/api/stream?${query}`)
}

/** What to show for a failed call: unknown symbols, bad parameters and a missing token say so plainly. */
export function describeError(e) {
  if (!(e instanceof ApiError)) return `unexpected error: ${e.message}`
  if (e.code === "unauthorized")
    return "this server needs a token: enter it above (or open the page with ?token=...)"
  if (e.code === "unknown_symbol") return e.message.replace("no such symbol", "unknown symbol")
  if (e.status >= 500) return `server error: ${e.message}`
  return e.message
}
