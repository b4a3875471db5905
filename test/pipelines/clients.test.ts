import { setTimeout as sleep } from "node:timers/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { listClients } from "../../src/adapters/nats/client-consumers.ts"
import type { BarClosed } from "../../src/domain/bar.ts"
import { makeApp } from "../../src/http/app.ts"
import { clients, deleteClient } from "../../src/sdk/clients.ts"
import { latestBars } from "../../src/sdk/latest-bars.ts"
import { subscribeBars } from "../../src/sdk/subscribe-bars.ts"
import { eventually } from "../support/runtime.ts"
import { startServers, type TestServers } from "../support/servers.ts"
import { idOf, type LogRuntime, logRuntime, minuteBars, minutebar, publish } from "./client-fixture.ts"

/** Takes `n` bars from a client, then leaves the loop (which acks the last one taken). */
const take = async (o: Parameters<typeof subscribeBars>[0], n: number): Promise<BarClosed[]> => {
  const got: BarClosed[] = []
  if (n === 0) return got
  for await (const bar of subscribeBars(o)) if (got.push(bar) >= n) break
  return got
}

describe("extra clients: named durable consumers of the log", () => {
  let servers: TestServers
  let runtime: LogRuntime
  let natsUrl: string
  let minute = 0
  /** Fresh bars for each test: `symbols` x `minutes`, later minutes than any test before. */
  const fresh = (symbols: number, minutes: number) => {
    const bars = minuteBars(symbols, minutes, minute)
    minute += minutes
    return bars
  }

  beforeAll(async () => {
    servers = await startServers()
    natsUrl = servers.natsUrl
    runtime = logRuntime(servers)
    await publish(runtime, [])
  })
  afterAll(async () => {
    await runtime?.dispose()
    await servers?.stop()
  })

  it("two clients with different names each get every bar, in log order", async () => {
    const from = Date.now()
    const bars = fresh(10, 60)
    await publish(runtime, bars)
    const [a, b] = await Promise.all([
      take({ natsUrl, name: "alpha", from }, bars.length),
      take({ natsUrl, name: "beta", from }, bars.length),
    ])
    expect(a.map(idOf)).toEqual(bars.map(idOf))
    expect(b.map(idOf)).toEqual(bars.map(idOf))
  })

  it("a client stopped halfway continues with the next bar: no gap, no repeat", async () => {
    const from = Date.now()
    const bars = fresh(10, 50)
    await publish(runtime, bars)
    const first = await take({ natsUrl, name: "resumer", from, pullBatch: 64 }, 173)
    const second = await take({ natsUrl, name: "resumer", from }, bars.length - 173)
    expect([...first, ...second].map(idOf)).toEqual(bars.map(idOf))
    const [info] = (await clients({ natsUrl })).filter((c) => c.name === "resumer")
    expect(info).toMatchObject({ pending: 0, ackPending: 0 })
  })

  it("symbols: one symbol is filtered by the server, several by the client", async () => {
    const from = Date.now()
    const bars = fresh(6, 20)
    await publish(runtime, bars)
    const [one, two] = [["600002.SH"], ["600001.SH", "600004.SH"]]
    const only = (symbols: string[]) => bars.filter((b) => symbols.includes(b.symbol)).map(idOf)
    expect((await take({ natsUrl, name: "one", symbols: one, from }, 20)).map(idOf)).toEqual(only(one))
    expect((await take({ natsUrl, name: "two", symbols: two, from }, 40)).map(idOf)).toEqual(only(two))
    expect((await clients({ natsUrl })).find((c) => c.name === "one")?.filter).toBe("bars.1m.SH.600002")
  })

  it("two processes with one name split the bars; together they print each once", async () => {
    const from = new Date().toISOString()
    const args = ["subscribe", "--name", "split", "--from", from]
    const [p, q] = [minutebar(args, natsUrl), minutebar(args, natsUrl)]
    await eventually(async () =>
      (await clients({ natsUrl })).some((c) => c.name === "split" && c.waiting >= 2),
    )
    const bars = fresh(20, 100)
    for (let i = 0; i < bars.length; i += 250) {
      await publish(runtime, bars.slice(i, i + 250))
      await sleep(50)
    }
    await eventually(async () => p.lines.length + q.lines.length >= bars.length, 30_000, "all bars printed")
    p.child.kill("SIGINT")
    q.child.kill("SIGINT")
    expect([await p.exited, await q.exited]).toEqual([0, 0])
    const [fromP, fromQ] = [p.lines, q.lines].map((ls) => ls.map((l) => idOf(JSON.parse(l) as BarClosed)))
    expect(fromP.length).toBeGreaterThan(0)
    expect(fromQ.length).toBeGreaterThan(0)
    expect([...fromP, ...fromQ].sort()).toEqual(bars.map(idOf).sort())
  })

  it("a subscribe process stopped with SIGINT and started again prints every bar once, in order", async () => {
    const from = new Date().toISOString()
    const args = ["subscribe", "--name", "restarted", "--from", from]
    const bars = fresh(20, 150)
    const publishing = (async () => {
      for (let i = 0; i < bars.length; i += 100) {
        await publish(runtime, bars.slice(i, i + 100))
        await sleep(40)
      }
    })()
    const first = minutebar(args, natsUrl)
    await eventually(async () => first.lines.length >= 600, 30_000, "the first run under way")
    first.child.kill("SIGINT")
    expect(await first.exited).toBe(0)
    expect(first.stderr()).toMatch(/client restarted: new/)
    const second = minutebar(args, natsUrl)
    await publishing
    await eventually(async () => first.lines.length + second.lines.length >= bars.length, 30_000, "the rest")
    await sleep(300)
    second.child.kill("SIGINT")
    expect(await second.exited).toBe(0)
    expect(second.stderr()).toMatch(/continues where it stopped/)
    const printed = [...first.lines, ...second.lines].map((l) => idOf(JSON.parse(l) as BarClosed))
    expect(printed).toEqual(bars.map(idOf))
  })

  it("clients are listed with filter, pending, ack floor and last active, and removed, by API, CLI and SDK", async () => {
    const from = Date.now()
    await publish(runtime, fresh(5, 4))
    await take({ natsUrl, name: "listed", symbols: ["600003.SH"], from }, 2)
    const app = makeApp({
      run: () => Promise.reject(new Error("unused")),
      probes: [],
      clients: (effect) => runtime.runPromise(effect),
    })
    const body = (await (await app.request("/api/clients")).json()) as {
      clients: Array<Record<string, unknown>>
    }
    const listed = body.clients.find((c) => c.name === "listed")
    // Two taken and acked; the two the last pull held back were handed back (nak): pending an ack again.
    expect(listed).toMatchObject({ filter: "bars.1m.SH.600003" })
    expect(Number(listed?.pending) + Number(listed?.ackPending)).toBe(2)
    expect(listed?.ackFloor).toBeGreaterThan(0)
    expect(Date.parse(String(listed?.lastActive))).toBeGreaterThan(from)
    const cli = minutebar(["clients", "list", "--json"], natsUrl)
    expect(await cli.exited).toBe(0)
    expect(cli.lines.map((l) => JSON.parse(l).name)).toContain("listed")
    expect((await app.request("/api/clients/listed", { method: "DELETE" })).status).toBe(200)
    expect((await app.request("/api/clients/listed", { method: "DELETE" })).status).toBe(404)
    expect((await app.request("/api/clients/bad%20name", { method: "DELETE" })).status).toBe(400)
    expect((await runtime.runPromise(listClients())).map((c) => c.name)).not.toContain("listed")
    expect(await deleteClient({ natsUrl }, "alpha")).toBe(true)
    const rm = minutebar(["clients", "rm", "beta"], natsUrl)
    expect(await rm.exited).toBe(0)
    const again = minutebar(["clients", "rm", "beta"], natsUrl)
    expect(await again.exited).toBe(1)
    expect(again.stderr()).toMatch(/no client named beta/)
  })

  it("a late joiner gets the latest bar of every symbol at once", async () => {
    const bars = fresh(8, 3)
    await publish(runtime, bars)
    const newest = bars.slice(-8)
    const all = await latestBars(natsUrl)
    for (const b of newest) expect(all.find((x) => x.symbol === b.symbol)).toEqual(b)
    expect(all.map((b) => b.symbol)).toEqual([...all.map((b) => b.symbol)].sort())
    expect(await latestBars(natsUrl, ["600005.SH", "600001.SH"])).toEqual([newest[1], newest[5]])
    expect(await latestBars(natsUrl, ["600007.SH"])).toEqual([newest[7]])
  })
})
