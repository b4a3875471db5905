/**
 * The deployment's Redis (infra/redis) on a real redis-server: its own redis.conf, users.acl rendered by
 * render-acl.sh, and certificates made by infra/tls/make-certs.sh. Only the paths, the port and the bind address
 * are changed for this machine. Pins what infra/README.md promises: TLS only, nobody in without a user, the
 * adapter may only append, the relay can do all the relay does and nothing more.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { connect as tcpConnect } from "node:net"
import { join } from "node:path"
import tls from "node:tls"
import { Effect, Fiber, ManagedRuntime, Redacted } from "effect"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { natsServer, natsUrl } from "../../src/adapters/nats/nats-server-process.ts"
import { ChildServer } from "../../src/adapters/process/child-server.ts"
import { freePort } from "../../src/adapters/process/free-port.ts"
import {
  ensureServerBinaries,
  NATS_SERVER,
  REDIS_SERVER,
} from "../../src/adapters/process/server-binaries.ts"
import { StreamWriter } from "../../src/adapters/redis/stream-writer.ts"
import { runRelay } from "../../src/pipelines/relay.ts"
import { barEntries, barIds } from "../support/bar-entries.ts"
import { compareIds, logMessageIds } from "../support/log-reader.ts"
import { relayLayer } from "../support/relay-runtime.ts"
import { eventually } from "../support/runtime.ts"
import { tempDir } from "../support/servers.ts"

const STREAM = "minutebar:events"
const PASSWORDS = {
  REDIS_ADAPTER_PASSWORD: "adapter-secret-1",
  REDIS_RELAY_PASSWORD: "relay-secret-2",
  REDIS_EXPORTER_PASSWORD: "exporter-secret-3",
  REDIS_ADMIN_PASSWORD: "admin-secret-4",
}

/** infra/redis/redis.conf with this machine's paths and a free port: everything else as deployed. */
const localConf = (dir: string, port: number): string =>
  readFileSync("infra/redis/redis.conf", "utf8")
    .replaceAll("/run/redis/", `${dir}/`)
    .replace(/^dir \/data$/m, `dir ${dir}/data`)
    .replace(/^tls-port 6380$/m, `tls-port ${port}`)
    .replace(/^bind .*$/m, "bind 127.0.0.1")

describe("the deployment's Redis: TLS, AOF and one ACL user per role", () => {
  let dir = ""
  let port = 0
  let redis: ChildServer
  let nats: ChildServer
  let natsPort = 0
  const clients: Redis[] = []
  const url = (user?: string, password?: string) =>
    `rediss://${user === undefined ? "" : `${user}:${password}@`}localhost:${port}/0`
  /** A bare client that reports refusals instead of retrying: what a person with redis-cli would see. */
  const client = (user?: string, password?: string) => {
    const c = new Redis(url(user, password), {
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    c.on("error", () => {})
    clients.push(c)
    return c
  }
  const admin = () => client("admin", PASSWORDS.REDIS_ADMIN_PASSWORD)
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => "allowed",
      (e: Error) => e.message.split(" ")[0],
    )

  beforeAll(async () => {
    dir = tempDir("infra-redis")
    const env = { ...process.env, ...PASSWORDS, TLS_DIR: dir }
    execFileSync("sh", ["infra/tls/make-certs.sh"], { env, stdio: "ignore" })
    execFileSync("sh", ["infra/redis/render-acl.sh", "infra/redis/users.acl", join(dir, "users.acl")], {
      env,
    })
    // Clients trust the private CA as the deployment's do (NODE_EXTRA_CA_CERTS there).
    tls.setDefaultCACertificates([
      ...tls.getCACertificates("default"),
      readFileSync(join(dir, "ca.crt"), "utf8"),
    ])
    port = await freePort()
    natsPort = await freePort()
    mkdirSync(join(dir, "data"))
    writeFileSync(join(dir, "redis.conf"), localConf(dir, port))
    const bins = ensureServerBinaries([REDIS_SERVER, NATS_SERVER], () => {})
    redis = new ChildServer({
      name: "redis-server",
      binary: bins["redis-server"]!,
      args: [join(dir, "redis.conf")],
      port,
      dataDir: join(dir, "data"),
    })
    nats = natsServer({ binary: bins["nats-server"]!, port: natsPort, dataDir: join(dir, "nats") })
    await Promise.all([redis.start(), nats.start()])
  })
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await Promise.all([redis?.stop(), nats?.stop()])
    rmSync(dir, { recursive: true, force: true })
  })

  it("speaks only TLS: a plaintext PING gets no answer", async () => {
    const answer = await new Promise<string>((resolve) => {
      let got = ""
      const socket = tcpConnect(port, "127.0.0.1", () => socket.write("PING\r\n"))
      socket.on("data", (d) => (got += d.toString("latin1")))
      socket.on("error", () => {})
      socket.on("close", () => resolve(got))
      setTimeout(() => socket.destroy(), 3_000)
    })
    expect(answer).not.toContain("PONG")
  })

  it("keeps every acknowledged write: AOF with fsync on every write", async () => {
    const c = admin()
    expect(await c.config("GET", "appendonly")).toEqual(["appendonly", "yes"])
    expect(await c.config("GET", "appendfsync")).toEqual(["appendfsync", "always"])
    expect(await c.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"])
  })

  it("lets nobody in without a user, nor with a wrong password", async () => {
    expect(await refused(client().ping())).toBe("NOAUTH")
    expect(await refused(client("adapter", "guess").ping())).toBe("WRONGPASS")
  })

  it("the adapter appends through its writer, and may do nothing else", async () => {
    const writer = ManagedRuntime.make(
      StreamWriter.layer({
        url: Redacted.make(url("adapter", PASSWORDS.REDIS_ADAPTER_PASSWORD)),
        stream: STREAM,
      }),
    )
    await eventually(
      () =>
        writer
          .runPromise(StreamWriter.use((w) => w.append(barEntries(3))))
          .then(() => true)
          .catch(() => false),
      10_000,
      "the adapter's first append",
    )
    await writer.dispose()
    expect(await admin().xlen(STREAM)).toBe(3)

    const adapter = client("adapter", PASSWORDS.REDIS_ADAPTER_PASSWORD)
    expect(await refused(adapter.xrange(STREAM, "-", "+"))).toBe("NOPERM")
    expect(await refused(adapter.xgroup("CREATE", STREAM, "mine", "0"))).toBe("NOPERM")
    expect(await refused(adapter.xtrim(STREAM, "MAXLEN", 0))).toBe("NOPERM")
    expect(await refused(adapter.del(STREAM))).toBe("NOPERM")
    expect(await refused(adapter.xadd("elsewhere", "*", "a", "b"))).toBe("NOPERM")
    expect(await refused(adapter.flushall())).toBe("NOPERM")
    expect(await refused(adapter.config("GET", "requirepass"))).toBe("NOPERM")
  })

  it("the relay relays, dead-letters, acks and trims with its own user, and may do nothing else", async () => {
    const c = admin()
    await c.del(STREAM, `${STREAM}:dead`)
    for (const e of barEntries(2_000, 0, 70_000)) await c.xadd(STREAM, "*", "type", e.type, "data", e.data)
    await c.xadd(STREAM, "*", "type", "bar", "data", "{not json")
    const runtime = ManagedRuntime.make(
      relayLayer({
        redisUrl: url("relay", PASSWORDS.REDIS_RELAY_PASSWORD),
        natsUrl: natsUrl(natsPort),
      }),
    )
    const options = { group: "relay", consumer: "r1", batchSize: 500, blockMs: 100, claimIdleMs: 1_000 }
    const fiber = runtime.runFork(runRelay({ ...options, trimEveryMs: 200 }))
    await eventually(async () => (await c.xlen(STREAM)) === 0, 30_000, "the stream relayed and trimmed")
    await runtime.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Effect.void)))
    await runtime.dispose()
    expect(compareIds(await logMessageIds(natsUrl(natsPort)), barIds(2_000, 0, 70_000))).toEqual({
      count: 2_000,
      doubled: [],
      missing: [],
      unexpected: [],
    })
    expect(await c.xlen(`${STREAM}:dead`)).toBe(1)

    const relay = client("relay", PASSWORDS.REDIS_RELAY_PASSWORD)
    expect(await refused(relay.xadd(STREAM, "*", "type", "bar", "data", "{}"))).toBe("NOPERM")
    expect(await refused(relay.xrange(STREAM, "-", "+"))).toBe("NOPERM")
    expect(await refused(relay.del(STREAM))).toBe("NOPERM")
    expect(await refused(relay.xgroup("DESTROY", STREAM, "relay"))).toBe("NOPERM")
    expect(await refused(relay.flushall())).toBe("NOPERM")
    expect(await refused(relay.get("some-other-key"))).toBe("NOPERM")
  })

  it("the exporter reads the stream's length and groups, and writes nothing", async () => {
    const exporter = client("exporter", PASSWORDS.REDIS_EXPORTER_PASSWORD)
    expect(await refused(exporter.xinfo("STREAM", STREAM))).toBe("allowed")
    expect(await refused(exporter.xinfo("GROUPS", STREAM))).toBe("allowed")
    expect(await refused(exporter.xadd(STREAM, "*", "a", "b"))).toBe("NOPERM")
    expect(await refused(exporter.xtrim(STREAM, "MAXLEN", 0))).toBe("NOPERM")
  })
})
