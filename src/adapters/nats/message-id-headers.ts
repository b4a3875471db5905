/**
 * A message's NATS headers, led by its `Nats-Msg-Id` and followed by fixed ones, written out at once. nats.js'
 * `headers()` checks and canonicalises every key and value through a Map per message, ~15% of the relay's
 * publishing CPU (bench:relay); its publish calls only `encode()` on what it is given (@nats-io/nats-core 3.x,
 * pinned by test/adapters/nats/pub-ack-publisher.test.ts and test/pipelines/replay.test.ts).
 */
import type { MsgHdrs } from "@nats-io/transport-node"

const encoder = new TextEncoder()

export const messageIdHeaders = (fixed: Readonly<Record<string, string>> = {}) => {
  const tail = `${Object.entries(fixed)
    .map(([k, v]) => `\r\n${k}: ${v}`)
    .join("")}\r\n\r\n`
  return (id: string): MsgHdrs => {
    // Ids are built from validated symbols and frames; a line break would split the header block.
    if (id.includes("\n") || id.includes("\r"))
      throw new Error(`a message id with a line break: ${JSON.stringify(id)}`)
    const bytes = encoder.encode(`NATS/1.0\r\nNats-Msg-Id: ${id}${tail}`)
    return { encode: () => bytes } as unknown as MsgHdrs
  }
}
