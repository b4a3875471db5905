import { describe, expect, it } from "vitest"
import {
  describeRedisUrl,
  reconnectDelay,
  remoteRedisOptions,
} from "../../../src/adapters/redis/remote-redis-options.ts"

describe("connection options for the remote Redis", () => {
  it("rediss:// means TLS with the certificate checked against the host name", () => {
    const o = remoteRedisOptions("rediss://:s%40cret@redis.example.com:6380/2", "x")
    expect(o).toMatchObject({
      host: "redis.example.com",
      port: 6380,
      db: 2,
      password: "s@cret",
      tls: { servername: "redis.example.com" },
    })
  })

  it("redis:// is plain TCP, and there is no password unless the URL has one", () => {
    const o = remoteRedisOptions("redis://127.0.0.1:6379", "x")
    expect(o.tls).toBeUndefined()
    expect("password" in o).toBe(false)
  })

  it("connects within a bounded time, keeps the link alive, and fails commands at once while disconnected", () => {
    const o = remoteRedisOptions("redis://127.0.0.1", "x")
    expect(o).toMatchObject({
      connectTimeout: 10_000,
      keepAlive: 15_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    })
  })

  it("reconnects forever, backing off from 250 ms to 10 s", () => {
    expect(reconnectDelay(1)).toBeGreaterThanOrEqual(250)
    expect(reconnectDelay(1)).toBeLessThan(500)
    expect(reconnectDelay(100)).toBeGreaterThanOrEqual(10_000)
    expect(reconnectDelay(100)).toBeLessThan(10_250)
  })

  it("logs show the target without credentials, and a bad URL's message does not echo it", () => {
    expect(describeRedisUrl("rediss://user:hunter2@redis.example.com:6380/0")).toBe(
      "rediss://redis.example.com:6380/0",
    )
    expect(() => remoteRedisOptions("http://:hunter2@x", "x")).toThrow(
      /must start with redis:\/\/ or rediss:\/\//,
    )
    expect(() => remoteRedisOptions("not a url hunter2", "x")).toThrow(/^(?!.*hunter2)/)
  })
})
