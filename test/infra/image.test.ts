/**
 * What the image (infra/Dockerfile) holds runs what compose asks of it: the files its COPY lines take, started
 * with the API service's command and environment (infra/compose.yaml), pass the service's own healthcheck,
 * serve /metrics with every minutebar metric the alerts use, and stop in time on compose's SIGTERM. Only the
 * servers differ: embedded Redis, NATS and chDB instead of the compose network's.
 */
import { execFile } from "node:child_process"
import { cpSync, globSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { builtinModules } from "node:module"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { freePort } from "../../src/adapters/process/free-port.ts"
import { type MinutebarProcess, spawnMinutebar, untilPrinted } from "../support/minutebar-process.ts"
import { tempDir } from "../support/servers.ts"

interface ApiService {
  readonly command: string[]
  readonly environment: Record<string, string>
  readonly stop_grace_period: string
  readonly healthcheck: { readonly test: string[] }
}

const api = (
  parse(readFileSync("infra/compose.yaml", "utf8"), { merge: true }) as {
    services: Record<string, ApiService>
  }
).services["minutebar-api"]!
const dockerfile = readFileSync("infra/Dockerfile", "utf8")
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> }

/** `COPY a b ./` and `COPY src ./src`: what the image takes from the repository. */
const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(" "))

/** Every package a source file imports: `import x from "pkg"`, `} from "pkg"`, `import "pkg"`, `import("pkg/sub")`,
 * `require.resolve("pkg/file")`. */
const importedPackages = (text: string) =>
  [
    ...text.matchAll(
      /^\s*(?:import|export|\})[^"\n]*?(?:from\s+|import\s+)"([^"]+)"|\b(?:import|require\.resolve)\(\s*"([^"]+)"\s*\)/gm,
    ),
  ]
    .map((m) => (m[1] ?? m[2])!)
    .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!))

describe("the image runs the API service as compose starts it", () => {
  const dir = tempDir("image")
  let service: MinutebarProcess | undefined
  afterAll(async () => {
    if (service !== undefined && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill("SIGTERM")
      await service.exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it("takes only production dependencies: everything src and bin import is in package.json's dependencies", () => {
    const files = globSync(["src/**/*.ts", "bin/*.js"])
    const imports = files.flatMap((f) =>
      importedPackages(readFileSync(f, "utf8")).map((p) => [f, p] as const),
    )
    expect(new Set(imports.map(([, p]) => p))).toEqual(new Set(Object.keys(pkg.dependencies)))
    // `npm install --omit=dev` leaves devDependencies out of the image.
    const missing = imports.filter(([, p]) => pkg.dependencies[p] === undefined).map(([f, p]) => `${f}: ${p}`)
    expect(missing).toEqual([])
  })

  it("passes the service's healthcheck, serves what the alerts watch, and stops in the grace period", async () => {
    expect(copied).toEqual(["package.json", "package-lock.json", "bin", "src", "migrations"])
    const app = join(dir, "app")
    for (const f of copied) cpSync(f, join(app, f), { recursive: true })
    symlinkSync(resolve("node_modules"), join(app, "node_modules"))

    const [http, redis, nats] = [await freePort(), await freePort(), await freePort()]
    const token = "image-test-token"
    // The service's environment without its servers (compose's names do not resolve here): minutebar then
    // runs embedded ones, with one NATS node and so one replica.
    const {
      REDIS_URL: _r,
      NATS_URL: _n,
      CLICKHOUSE_URL: _c,
      CLICKHOUSE_USER: _u,
      CLICKHOUSE_PASSWORD: _p,
      NODE_EXTRA_CA_CERTS: _ca,
      ...kept
    } = api.environment
    const env: Record<string, string> = {
      ...kept,
      NATS_REPLICAS: "1",
      NATS_RETENTION_DAYS: "30",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(http),
      API_TOKEN: token,
      CORS_ORIGINS: "",
      EMBEDDED_REDIS_PORT: String(redis),
      EMBEDDED_NATS_PORT: String(nats),
      DATA_DIR: join(dir, "data"),
      NODE_ENV: /^ENV NODE_ENV=(\S+)$/m.exec(dockerfile)![1]!,
      PATH: process.env.PATH ?? "",
    }
    expect(Object.values(env).some((v) => v.includes("${"))).toBe(false)
    const up = spawnMinutebar(["bin/minutebar.js", ...api.command], { cwd: app, env })
    service = up
    await untilPrinted(up, "minutebar is up")

    // The healthcheck compose runs in the container, on this port.
    const [cmd, bin, ...args] = api.healthcheck.test
    expect([cmd, bin]).toEqual(["CMD", "node"])
    const healthy = await new Promise<number>((done) =>
      execFile(
        process.execPath,
        args.map((a) => a.replace(":8080/", `:${http}/`)),
        (err) => done(err === null ? 0 : ((err as { code?: number }).code ?? 1)),
      ),
    )
    expect(healthy, up.output()).toBe(0)

    expect((await fetch(`http://127.0.0.1:${http}/metrics`)).status).toBe(401)
    const metrics = await (
      await fetch(`http://127.0.0.1:${http}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text()
    const watched = new Set(
      [...readFileSync("infra/prometheus/alerts.yml", "utf8").matchAll(/\b(minutebar_[a-z_]+)/g)].map(
        (m) => m[1]!,
      ),
    )
    expect(watched.size).toBeGreaterThan(3)
    const served = new Set([...metrics.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!))
    expect(
      [...watched].filter((m) => !served.has(m)),
      metrics,
    ).toEqual([])
    expect(metrics).not.toContain(token)

    // `docker compose stop`: SIGTERM, then SIGKILL after stop_grace_period.
    const graceMs = Number(/^(\d+)s$/.exec(api.stop_grace_period)![1]) * 1000
    const t0 = Date.now()
    up.child.kill("SIGTERM")
    expect(await up.exited).toBe(0)
    expect(Date.now() - t0).toBeLessThan(graceMs)
    expect(up.output()).not.toMatch(/\n\s+at |Unhandled error/)
  })
})
