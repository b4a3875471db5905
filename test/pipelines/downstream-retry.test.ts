import { Deferred, Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { retryDownstream } from "../../src/pipelines/downstream-retry.ts"

const retry = retryDownstream("test")
const down = { message: "connection refused" }

describe("a stage's downstream retries", () => {
  it("go on until the write goes through", async () => {
    let attempts = 0
    const write = Effect.suspend(() => (++attempts < 3 ? Effect.fail(down) : Effect.succeed("written")))
    expect(await Effect.runPromise(retry(write))).toBe("written")
    expect(attempts).toBe(3)
  })

  it("a stop does not wait for a server that is gone, even inside a batch that cannot be interrupted", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const failing = yield* Deferred.make<void>()
        const write = Deferred.succeed(failing, undefined).pipe(Effect.andThen(Effect.fail(down)))
        const batch = yield* Effect.forkChild(Effect.uninterruptible(retry(write)))
        yield* Deferred.await(failing)
        yield* Effect.sleep("300 millis")
        const started = Date.now()
        yield* Fiber.interrupt(batch)
        return Date.now() - started
      }),
    )
    expect(result).toBeLessThan(1_000)
  })

  it("a write already under way when the stop comes is finished first", async () => {
    const written = await Effect.runPromise(
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        let done = false
        const write = Deferred.succeed(started, undefined).pipe(
          Effect.andThen(Effect.sleep("200 millis")),
          Effect.andThen(Effect.sync(() => (done = true))),
        )
        const batch = yield* Effect.forkChild(Effect.uninterruptible(retry(write)))
        yield* Deferred.await(started)
        yield* Fiber.interrupt(batch)
        return done
      }),
    )
    expect(written).toBe(true)
  })
})
