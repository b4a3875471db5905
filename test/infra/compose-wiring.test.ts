/**
 * infra/compose.yaml cannot run here (no Docker daemon, no image registry), so what can go wrong in its wiring
 * is pinned against the repository instead: the variables it reads, the files it mounts, the settings it gives
 * minutebar, what Prometheus scrapes and alerts on. Its Redis and NATS parts run on real servers in
 * redis-deployment.test.ts and nats-cluster.test.ts; the image's files run the API service in image.test.ts.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { settingNames } from "../support/setting-names.ts"

const INFRA = "infra"
const read = (path: string) => readFileSync(join(INFRA, path), "utf8")

interface Service {
  readonly image?: string
  readonly build?: unknown
  readonly command?: ReadonlyArray<string>
  readonly environment?: Record<string, string>
  readonly volumes?: ReadonlyArray<string>
  readonly ports?: ReadonlyArray<string>
}

// yaml resolves the `<<:` merge keys (merge: true), as compose does.
const compose = parse(read("compose.yaml"), { merge: true }) as {
  services: Record<string, Service>
  volumes: Record<string, unknown>
  secrets: Record<string, { environment?: string }>
}
const services = Object.entries(compose.services)
const minutebarServices = services.filter(([, s]) => s.image === "minutebar:local")

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}`: compose's interpolation. */
const interpolated = (text: string) =>
  [...text.matchAll(/\$\{([A-Z0-9_]+)(:?[-?][^}]*)?\}/g)].map((m) => m[1]!)
const envExample = new Map(
  read(".env.example")
    .split("\n")
    .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [m[1]!, m[2]!] as const),
)

/** Files infra/tls/make-certs.sh writes: mounted, but made on the host before the first start. */
const MADE_BY_MAKE_CERTS = ["tls", "tls/ca.crt"]

describe("infra/compose.yaml", () => {
  it("reads only variables that infra/.env.example lists, and every password there is required", () => {
    const used = new Set(interpolated(read("compose.yaml")))
    expect([...used].filter((v) => !envExample.has(v))).toEqual([])
    const required = new Set([...read("compose.yaml").matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))
    const secrets = [...envExample].filter(([, v]) => v === "CHANGE_ME").map(([k]) => k)
    expect(secrets.filter((s) => !required.has(s))).toEqual([])
  })

  it("mounts files that are in the repository, or that make-certs.sh makes", () => {
    const hostPaths = services.flatMap(([, s]) =>
      (s.volumes ?? []).map((v) => v.split(":")[0]!).filter((p) => p.startsWith("./")),
    )
    expect(hostPaths.length).toBeGreaterThan(10)
    const missing = hostPaths
      .map((p) => p.slice(2))
      .filter((p) => !MADE_BY_MAKE_CERTS.includes(p) && !existsSync(join(INFRA, p)))
    expect(missing).toEqual([])
    // Named volumes are declared.
    const named = services.flatMap(([, s]) =>
      (s.volumes ?? []).map((v) => v.split(":")[0]!).filter((p) => !p.startsWith(".")),
    )
    expect(named.filter((v) => !(v in compose.volumes))).toEqual([])
  })

  it("gives the minutebar services only settings minutebar has, and each the command it runs", () => {
    expect(minutebarServices.map(([name]) => name)).toEqual([
      "minutebar-api",
      "minutebar-relay-1",
      "minutebar-relay-2",
    ])
    for (const [name, s] of minutebarServices) {
      const unknown = Object.keys(s.environment ?? {}).filter((k) => !settingNames.has(k))
      expect(unknown, name).toEqual([])
      // Each relay its own consumer name in the group: a restarted relay re-publishes its own pending entries.
      expect(s.environment?.RELAY_CONSUMER, name).toBeDefined()
    }
    const consumers = minutebarServices.map(([, s]) => s.environment?.RELAY_CONSUMER)
    expect(new Set(consumers).size).toBe(consumers.length)
    expect(compose.services["minutebar-api"]!.command).toEqual(["up", "--no-simulator"])
    expect(compose.services["minutebar-relay-1"]!.command).toEqual(["relay"])
    // The image's entrypoint is the CLI those commands are given to.
    expect(read("Dockerfile")).toMatch(/^ENTRYPOINT \["node", "bin\/minutebar\.js"\]$/m)
  })

  it("points the minutebar services at the servers it runs, with the log replicated on all three NATS nodes", () => {
    for (const [name, s] of minutebarServices) {
      const env = s.environment ?? {}
      const host = (url: string) => new URL(url.replace(/\$\{[^}]*\}/g, "x")).hostname
      expect(compose.services[host(env.REDIS_URL!)], `${name} REDIS_URL`).toBeDefined()
      expect(compose.services[host(env.NATS_URL!)], `${name} NATS_URL`).toBeDefined()
      expect(compose.services[host(env.CLICKHOUSE_URL!)], `${name} CLICKHOUSE_URL`).toBeDefined()
      // TLS to Redis, checked against the CA mounted at the path Node is told.
      expect(env.REDIS_URL).toMatch(/^rediss:\/\/relay:/)
      expect(s.volumes).toContain(`./tls/ca.crt:${env.NODE_EXTRA_CA_CERTS}:ro`)
      expect(env.NATS_REPLICAS).toBe("3")
    }
    const natsNodes = services.filter(([name]) => /^nats-\d$/.test(name))
    expect(natsNodes.length).toBe(3)
    // Redis listens on the TLS port the services dial (redis.conf has no plaintext port).
    const redisPort = new URL(minutebarServices[0]![1].environment!.REDIS_URL!.replace(/\$\{[^}]*\}/g, "x"))
      .port
    expect(read("redis/redis.conf")).toMatch(new RegExp(`^tls-port ${redisPort}$`, "m"))
    expect(read("redis/redis.conf")).toMatch(/^port 0$/m)
  })

  it("has Prometheus scrape services that exist, on the ports they listen on", () => {
    const prometheus = parse(read("prometheus/prometheus.yml")) as {
      rule_files: string[]
      scrape_configs: Array<{
        job_name: string
        authorization?: { credentials_file: string }
        static_configs: Array<{ targets: string[] }>
      }>
    }
    const targets = prometheus.scrape_configs.flatMap((j) => j.static_configs.flatMap((c) => c.targets))
    for (const t of targets) expect(compose.services[t.split(":")[0]!], t).toBeDefined()
    const api = compose.services["minutebar-api"]!
    expect(targets).toContain(`minutebar-api:${api.environment!.HTTP_PORT}`)
    // /metrics needs the token: Prometheus reads it from the secret compose makes of API_TOKEN.
    const job = prometheus.scrape_configs.find((j) => j.job_name === "minutebar")!
    expect(job.authorization?.credentials_file).toBe("/run/secrets/api_token")
    expect(compose.secrets.api_token?.environment).toBe("API_TOKEN")
    expect(api.environment!.API_TOKEN).toMatch(/^\$\{API_TOKEN:\?/)
    expect(targets).toContain("clickhouse:9363")
    expect(read("clickhouse/config.d/minutebar.xml")).toContain("<port>9363</port>")
    // The rule files it loads are the ones mounted.
    const mounted = compose.services.prometheus!.volumes!.map((v) => v.split(":")[1]!)
    for (const f of prometheus.rule_files) expect(mounted, f).toContain(f)
    expect(mounted).toContain(dirname(prometheus.rule_files[0]!) + "/prometheus.yml")
  })
})
