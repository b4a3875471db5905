import { rmSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { afterAll } from "vitest"
import { ClickHouse } from "../../../src/adapters/clickhouse/clickhouse.ts"
import { migrate } from "../../../src/adapters/clickhouse/migrations.ts"
import { ProjectionStore } from "../../../src/adapters/clickhouse/projection-store.ts"
import type { InstrumentReference } from "../../../src/domain/instrument-reference.ts"
import { tempDir } from "../../support/servers.ts"

const dir = tempDir("projection-store")
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const store = Layer.effectDiscard(migrate()).pipe(
  Layer.provideMerge(ProjectionStore.layer),
  Layer.provideMerge(ClickHouse.layer({ _tag: "Embedded", path: join(dir, "clickhouse") })),
)

const reference = (adjust: number): InstrumentReference =>
  ({
    symbol: "600000.SH",
    day: "2024-03-05",
    name: "浦发银行",
    preClose: 7.1,
    limitUp: 7.81,
    limitDown: 6.39,
    st: false,
    adjust,
  }) as InstrumentReference

describe("projection store", () => {
  it.effect("a reference fact later in the log wins, in whichever order the writes land", () =>
    Effect.gen(function* () {
      const s = yield* ProjectionStore
      // Two projection workers, or a replay into live tables, can write an older fact after a newer one.
      yield* s.writeReferences([{ ...reference(1.25), seq: 20 }])
      yield* s.writeReferences([{ ...reference(1.0), seq: 10 }])
      const [ref] = yield* s.referencesOf([{ symbol: "600000.SH", day: "2024-03-05" }])
      expect(ref?.adjust).toBe(1.25)
    }).pipe(Effect.provide(store)),
  )
})
