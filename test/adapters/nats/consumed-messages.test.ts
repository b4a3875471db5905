import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { consumedMessages } from "../../../src/adapters/nats/consumed-messages.ts"
import { natsConnection } from "../../support/nats-connection.ts"

describe("a consumer's messages as a stream", () => {
  const nats = natsConnection()

  const streamOf = async (name: string, count: number) => {
    const jsm = await jetstreamManager(nats.nc)
    await jsm.streams.add({ name, subjects: [`${name}.>`] })
    const js = jetstream(nats.nc)
    for (let i = 1; i <= count; i++) await js.publish(`${name}.x`, new TextEncoder().encode(String(i)))
    return js.consumers.get(name, { deliver_policy: DeliverPolicy.All })
  }

  it("hands on every message in log order", async () => {
    const consumer = await streamOf("ORDER", 2_000)
    const seqs = await Effect.runPromise(
      consumedMessages("read", (callback) => consumer.consume({ max_messages: 500, callback })).pipe(
        Stream.map((m) => m.seq),
        Stream.take(2_000),
        Stream.runCollect,
      ),
    )
    expect(seqs).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1))
  })

  it("fails with a NatsError when the consumer stops on an error (its stream deleted)", async () => {
    const consumer = await streamOf("GONE", 1)
    const read = consumedMessages("read", (callback) =>
      consumer.consume({ max_messages: 10, callback, abort_on_missing_resource: true }),
    ).pipe(Stream.runDrain, Effect.flip)
    const failed = Effect.runPromise(read)
    await new Promise((r) => setTimeout(r, 300))
    await (await jetstreamManager(nats.nc)).streams.delete("GONE")
    const error = await failed
    expect(error._tag).toBe("NatsError")
    expect(error.operation).toBe("read")
  })
})
