import { Effect, Exit, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { quietBatches } from "../../src/pipelines/quiet-batches.ts"

const burst = (from: number, n: number) => Stream.range(from, from + n - 1)
const pause = (ms: number) => Stream.fromEffect(Effect.sleep(ms)).pipe(Stream.drain)
const batchesOf = <A, E>(source: Stream.Stream<A, E>, o: Parameters<typeof quietBatches>[1]) =>
  Effect.runPromise(Stream.runCollect(quietBatches(source, o)))

describe("quiet batches: a batch ends when the stream goes quiet", () => {
  it("a burst is one batch, cut once nothing more came for quietMs", async () => {
    const source = Stream.concat(burst(1, 5), Stream.concat(pause(500), burst(6, 3)))
    expect(await batchesOf(source, { max: 100, quietMs: 50, maxWaitMs: 5_000 })).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ])
  })

  it("a batch holds at most max elements (a catch-up)", async () => {
    expect(await batchesOf(burst(1, 10), { max: 4, quietMs: 50, maxWaitMs: 5_000 })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ])
  })

  it("a stream that never goes quiet is still cut maxWaitMs after a batch's first element, nothing lost", async () => {
    const steady = Stream.range(1, 20).pipe(Stream.tap(() => Effect.sleep(20)))
    const batches = await batchesOf(steady, { max: 100, quietMs: 200, maxWaitMs: 120 })
    expect(batches.length).toBeGreaterThan(1)
    expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it("the source's failure ends the stream after the batch it interrupted", async () => {
    const failing = Stream.concat(burst(1, 3), Stream.fail("connection lost"))
    const seen: number[][] = []
    const exit = await Effect.runPromiseExit(
      Stream.runForEach(quietBatches(failing, { max: 100, quietMs: 50, maxWaitMs: 1_000 }), (b) =>
        Effect.sync(() => seen.push(b)),
      ),
    )
    expect(seen).toEqual([[1, 2, 3]])
    expect(Exit.isFailure(exit) && JSON.stringify(exit.cause).includes("connection lost")).toBe(true)
  })
})
