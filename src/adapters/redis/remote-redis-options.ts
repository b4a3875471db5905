/**
 * ioredis options for a Redis across a WAN, from its URL: TLS for `rediss://` (certificate checked against the
 * host name), a bounded connect time, TCP keepalive so a silently dropped link is noticed, reconnection forever
 * with backoff, and commands that fail at once while disconnected, because the caller keeps an outbox and must
 * learn of an outage instead of queueing in memory. Credentials come only from the URL; there is no default.
 */
import type { RedisOptions } from "ioredis"

export class InvalidRedisUrl extends Error {
  override readonly name = "InvalidRedisUrl"
}

const parse = (url: string): URL => {
  try {
    return new URL(url)
  } catch {
    // The URL may hold a password: never echo it.
    throw new InvalidRedisUrl(
      "REDIS_URL is not a URL (expected redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss://...)",
    )
  }
}

/** The URL without user and password, for logs. */
export const describeRedisUrl = (url: string): string => {
  const u = parse(url)
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname === "/" ? "" : u.pathname}`
}

/** Reconnect delays: 250 ms doubling to 10 s, with jitter so many adapters do not retry in step. */
export const reconnectDelay = (attempt: number): number =>
  Math.min(10_000, 250 * 2 ** Math.min(attempt - 1, 6)) + Math.floor(Math.random() * 250)

/** ioredis' constructor types want `replyMapping` without `undefined`, which RedisOptions allows. */
export type RemoteRedisOptions = Omit<RedisOptions, "replyMapping">

export const remoteRedisOptions = (url: string, connectionName: string): RemoteRedisOptions => {
  const u = parse(url)
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new InvalidRedisUrl(`REDIS_URL must start with redis:// or rediss://, not ${u.protocol}//`)
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0
  if (!Number.isInteger(db) || db < 0) throw new InvalidRedisUrl("REDIS_URL's path must be a database number")
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db,
    ...(u.protocol === "rediss:" ? { tls: { servername: u.hostname } } : {}),
    connectionName,
    connectTimeout: 10_000,
    commandTimeout: 15_000,
    keepAlive: 15_000,
    noDelay: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
  }
}
