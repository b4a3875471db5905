/** Reads a whole JetStream stream back (ordered consumer) to check what the log holds: ids, in log order. */
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"

/** The `Nats-Msg-Id` of every message in the stream, in sequence order. */
export const logMessageIds = async (natsUrl: string, stream = "MARKET"): Promise<string[]> => {
  const nc = await connect({ servers: natsUrl, name: "log-reader" })
  try {
    const last = (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq
    const ids: string[] = []
    if (last === 0) return ids
    const consumer = await jetstream(nc).consumers.get(stream)
    const messages = await consumer.consume({ max_messages: 5_000 })
    for await (const m of messages) {
      ids.push(m.headers?.get("Nats-Msg-Id") ?? "")
      if (m.seq >= last) break
    }
    await messages.close()
    return ids
  } finally {
    await nc.close()
  }
}

/** Ids that occur more than once, and expected ids that are missing. */
export const compareIds = (got: ReadonlyArray<string>, expected: ReadonlyArray<string>) => {
  const seen = new Set<string>()
  const doubled = got.filter((id) => seen.has(id) || !seen.add(id))
  const missing = expected.filter((id) => !seen.has(id))
  const wanted = new Set(expected)
  const unexpected = [...seen].filter((id) => !wanted.has(id))
  return { count: got.length, doubled, missing, unexpected }
}
