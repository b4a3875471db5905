import { jetstreamManager } from "@nats-io/jetstream"
import { beforeAll, describe, expect, it } from "vitest"
import { makePubAckPublisher } from "../../../src/adapters/nats/pub-ack-publisher.ts"
import { ensureStream } from "../../../src/adapters/nats/stream-limits.ts"
import { natsConnection } from "../../support/nats-connection.ts"

const message = (subject: string, id: string) => ({
  subject,
  id,
  data: new TextEncoder().encode(`{"id":"${id}"}`),
})

describe("publishing a batch with one reply subscription for its PubAcks", () => {
  const nats = natsConnection()
  beforeAll(async () => {
    await ensureStream(await jetstreamManager(nats.nc), {
      stream: "MARKET",
      retentionDays: 1,
      duplicateWindowMs: 60_000,
    })
  })

  it("resolves once every message is stored, counting the ids the stream already had as duplicates", async () => {
    const publisher = makePubAckPublisher(nats.nc, { stream: "MARKET", timeoutMs: 5_000 })
    const batch = Array.from({ length: 500 }, (_, i) => message("bars.1m.SZ.000001", `a:${i}`))
    expect(await publisher.publish(batch)).toEqual({ duplicates: 0 })
    expect(await publisher.publish([...batch.slice(0, 100), message("ref.SZ.000001", "b")])).toEqual({
      duplicates: 100,
    })
    expect((await (await jetstreamManager(nats.nc)).streams.info("MARKET")).state.messages).toBe(501)
  })

  it("stores each message with its id in the Nats-Msg-Id header, as nats.js reads it back", async () => {
    const publisher = makePubAckPublisher(nats.nc, { stream: "MARKET", timeoutMs: 5_000 })
    await publisher.publish([message("bars.1m.SH.600000", "600000.SH:2024-03-05 10:00:00:0")])
    const stored = await (await jetstreamManager(nats.nc)).streams.getMessage("MARKET", {
      last_by_subj: "bars.1m.SH.600000",
    })
    expect(stored?.header.get("Nats-Msg-Id")).toBe("600000.SH:2024-03-05 10:00:00:0")
    expect(stored?.header.get("Nats-Expected-Stream")).toBe("MARKET")
  })

  it("fails a batch whose message id holds a line break, which would end the header block early", async () => {
    const publisher = makePubAckPublisher(nats.nc, { stream: "MARKET", timeoutMs: 5_000 })
    await expect(
      publisher.publish([message("bars.1m.SZ.000001", "e\r\nNats-Expected-Stream: X")]),
    ).rejects.toThrow(/line break/)
  })

  it("fails a batch with a subject no stream takes, instead of waiting for a PubAck that never comes", async () => {
    const publisher = makePubAckPublisher(nats.nc, { stream: "MARKET", timeoutMs: 5_000 })
    await expect(publisher.publish([message("nowhere.SZ.000001", "c")])).rejects.toThrow(
      /no JetStream stream/,
    )
  })

  it("fails a batch the stream refuses (another stream was expected)", async () => {
    const publisher = makePubAckPublisher(nats.nc, { stream: "OTHER", timeoutMs: 5_000 })
    await expect(publisher.publish([message("bars.1m.SZ.000001", "d")])).rejects.toThrow(/PubAck error/)
  })
})
