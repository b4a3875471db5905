/** Waits until a durable consumer has acked everything in its stream (what a projection test waits for). */
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"

// One connection for all polls: a test polls every few milliseconds.
const connections = new Map<string, ReturnType<typeof connect>>()

export const consumerState = async (natsUrl: string, durable: string, stream = "MARKET") => {
  let nc = connections.get(natsUrl)
  if (nc === undefined) {
    nc = connect({ servers: natsUrl, name: "consumer-state", maxReconnectAttempts: -1 })
    connections.set(natsUrl, nc)
  }
  const info = await (await jetstreamManager(await nc)).consumers.info(stream, durable).catch(() => undefined)
  return info === undefined
    ? undefined
    : {
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        acked: info.ack_floor.stream_seq,
        delivered: info.delivered.consumer_seq,
      }
}

export const waitDrained = async (natsUrl: string, durable: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const s = await consumerState(natsUrl, durable)
    if (s !== undefined && s.pending === 0 && s.ackPending === 0) return
    if (Date.now() > deadline) throw new Error(`consumer ${durable} not drained: ${JSON.stringify(s)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
