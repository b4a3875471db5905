import { rmSync } from "node:fs"
import { join } from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, it } from "vitest"
import type { ClickHouseTarget } from "../../../src/adapters/clickhouse/clickhouse.ts"
import { tempDir } from "../../support/servers.ts"
import { contract } from "./bar-queries-contract.ts"
import { insertFixture, onServer, queriesLayer, SERVER_HINT, serverTarget } from "./bar-queries-fixture.ts"

const makeRuntime = (target: ClickHouseTarget) => ManagedRuntime.make(queriesLayer(target))

/** The contract's checks against one ClickHouse (skipped when there is none), the fixture inserted first. */
const suite = (
  name: string,
  target: ClickHouseTarget | undefined,
  around: { before: () => Promise<void>; after: () => Promise<void> },
) =>
  describe(name, () => {
    let runtime: ReturnType<typeof makeRuntime> | undefined
    beforeAll(async () => {
      if (target === undefined) return
      await around.before()
      runtime = makeRuntime(target)
      await runtime.runPromise(insertFixture)
    })
    afterAll(async () => {
      if (target === undefined) return
      await runtime?.dispose()
      await around.after()
    })
    for (const [check, body] of contract)
      it.skipIf(target === undefined)(check, () => body((effect) => runtime!.runPromise(effect)))
  })

const dir = tempDir("bar-queries")
suite(
  "bar reads on chDB (temp path)",
  { _tag: "Embedded", path: join(dir, "clickhouse") },
  { before: async () => {}, after: async () => rmSync(dir, { recursive: true, force: true }) },
)

const database = `minutebar_test_${process.pid}`
const server = serverTarget(database)
if (server === undefined) console.log(`bar reads on a ClickHouse server skipped: ${SERVER_HINT}`)
suite(`bar reads on a ClickHouse server (${SERVER_HINT})`, server, {
  before: () => Effect.runPromise(onServer(`CREATE DATABASE IF NOT EXISTS ${database}`)),
  after: () => Effect.runPromise(onServer(`DROP DATABASE IF EXISTS ${database}`)),
})
