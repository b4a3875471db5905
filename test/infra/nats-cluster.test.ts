/**
 * The deployment's JetStream cluster (infra/nats/nats-1..3.conf) on three real nats-servers: their own files,
 * with only the addresses and the store directory changed for this machine. Pins what the files promise:
 * the log stream gets three replicas, and with the stream's leader SIGKILLed in the middle of a relay's run
 * the log loses nothing and doubles nothing; the node comes back and catches up.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Fiber, ManagedRuntime } from "effect"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ChildServer } from "../../src/adapters/process/child-server.ts"
import { freePort } from "../../src/adapters/process/free-port.ts"
import {
  ensureServerBinaries,
  NATS_SERVER,
  REDIS_SERVER,
} from "../../src/adapters/process/server-binaries.ts"
import { redisServer, redisUrl } from "../../src/adapters/redis/redis-server-process.ts"
import { runRelay } from "../../src/pipelines/relay.ts"
import { barEntries, barIds } from "../support/bar-entries.ts"
import { compareIds, logMessageIds } from "../support/log-reader.ts"
import { relayLayer } from "../support/relay-runtime.ts"
import { eventually } from "../support/runtime.ts"
import { tempDir } from "../support/servers.ts"

const NODES = [1, 2, 3] as const
const STREAM = "minutebar:events"

interface Node {
  readonly name: string
  readonly client: number
  readonly route: number
  readonly http: number
  readonly server: ChildServer
}

/** infra/nats/nats-N.conf on this machine's ports and a temp store; everything else as deployed. */
const localConf = (n: number, dir: string, nodes: ReadonlyArray<Omit<Node, "server">>): string => {
  const me = nodes[n - 1]!
  let conf = readFileSync(`infra/nats/nats-${n}.conf`, "utf8")
    .replace(/^listen: .*$/m, `listen: 127.0.0.1:${me.client}`)
    .replace(/^http: .*$/m, `http: 127.0.0.1:${me.http}`)
    .replace(/store_dir: .*$/m, `store_dir: ${dir}/nats-${n}`)
    .replace(/(cluster \{[^}]*?)listen: .*$/m, `$1listen: 127.0.0.1:${me.route}`)
  for (const other of nodes)
    conf = conf.replace(`nats-route://${other.name}:6222`, `nats-route://127.0.0.1:${other.route}`)
  return conf
}

describe("the deployment's JetStream cluster: three nodes, the log with three replicas", () => {
  let dir = ""
  let nodes: Node[] = []
  let redisServed: ChildServer | undefined
  let redisAt = ""
  let redis: Redis
  let nc: NatsConnection
  let jsm: JetStreamManager
  const url = (n: Node) => `nats://127.0.0.1:${n.client}`

  beforeAll(async () => {
    dir = tempDir("nats-cluster")
    const bins = ensureServerBinaries([NATS_SERVER, REDIS_SERVER], () => {})
    const redisPort = await freePort()
    redisServed = redisServer({ binary: bins["redis-server"]!, port: redisPort, dataDir: join(dir, "redis") })
    await redisServed.start()
    redisAt = redisUrl(redisPort)
    redis = new Redis(redisAt)
    const binary = bins["nats-server"]!
    const ports: Array<Omit<Node, "server">> = []
    for (const n of NODES)
      ports.push({
        name: `nats-${n}`,
        client: await freePort(),
        route: await freePort(),
        http: await freePort(),
      })
    nodes = NODES.map((n) => {
      const p = ports[n - 1]!
      mkdirSync(join(dir, p.name), { recursive: true })
      writeFileSync(join(dir, `${p.name}.conf`), localConf(n, dir, ports))
      return {
        ...p,
        server: new ChildServer({
          name: p.name,
          binary,
          args: ["-c", join(dir, `${p.name}.conf`)],
          port: p.client,
          dataDir: join(dir, p.name),
        }),
      }
    })
    await Promise.all(nodes.map((n) => n.server.start()))
    // JetStream answers once the three have elected a meta leader.
    await eventually(
      async () => {
        const jsz = await fetch(`http://127.0.0.1:${nodes[0]!.http}/jsz`).then((r) => r.json())
        return (jsz as { meta_cluster?: { leader?: string } }).meta_cluster?.leader !== undefined
      },
      30_000,
      "a JetStream meta leader",
    )
    nc = await connect({ servers: nodes.map(url), maxReconnectAttempts: -1, reconnectTimeWait: 250 })
    jsm = await jetstreamManager(nc)
  })
  afterAll(async () => {
    await nc?.close()
    redis?.disconnect()
    await Promise.all(nodes.map((n) => n.server.stop()))
    await redisServed?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it("relays every bar once into a three-replica log while the stream's leader is killed and comes back", async () => {
    const total = 6_000
    for (const e of barEntries(total, 0, 90_000))
      await redis.xadd(STREAM, "*", "type", e.type, "data", e.data)
    // The relay knows one node, as in the compose file; it learns the others from the cluster.
    const runtime = ManagedRuntime.make(
      relayLayer({ redisUrl: redisAt, natsUrl: url(nodes[1]!) }, STREAM, { replicas: 3 }),
    )
    const relay = { group: "relay", consumer: "r1", batchSize: 200, blockMs: 100, claimIdleMs: 30_000 }
    const fiber = runtime.runFork(runRelay({ ...relay, inFlight: 1 }))
    const messages = async () =>
      (await jsm.streams.info("MARKET").catch(() => undefined))?.state.messages ?? 0
    await eventually(async () => (await messages()) >= 1_000, 30_000, "1,000 in")
    expect((await jsm.streams.info("MARKET")).config.num_replicas).toBe(3)
    const leaderName = (await jsm.streams.info("MARKET")).cluster?.leader
    const leader = nodes.find((n) => n.name === leaderName)!
    await leader.server.stop("SIGKILL")
    const atKill = await messages()

    await eventually(async () => (await messages()) >= total, 60_000, "every bar in the log with a node down")
    await leader.server.start()
    await eventually(
      async () => {
        const c = (await jsm.streams.info("MARKET")).cluster
        const replicas = c?.replicas ?? []
        return replicas.length === 2 && replicas.every((r) => r.current) && c?.leader !== undefined
      },
      60_000,
      "the killed node back and current",
    )
    await runtime.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Effect.void)))
    await runtime.dispose()

    expect(atKill).toBeLessThan(total) // the kill came while bars were still going in
    expect(compareIds(await logMessageIds(url(leader)), barIds(total, 0, 90_000))).toEqual({
      count: total,
      doubled: [],
      missing: [],
      unexpected: [],
    })
  })
})
