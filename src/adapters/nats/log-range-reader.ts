/**
 * Reads a stretch of the log as fast as one process can: an ephemeral pull consumer without acks, pulled in
 * large batches on one reply subscription. It is what an ordered consumer does, without a JsMsg, an
 * iterator step and a reply-subject object per message (~280k msg/s here against ~110k through
 * `js.consumers.get(...).consume()`). Replay reads a day with it; the latest bars read the last message of
 * every subject with it.
 *
 * State of a read: the delivery sequence seen last and how many messages the open pull still owes.
 * Invariants: delivery sequences arrive without a gap (a gap, e.g. after a reconnect, fails the read rather
 * than return a day with a hole); at most one pull is open; the consumer is deleted when the read ends.
 */
import { AckPolicy, type ConsumerConfig, DeliverPolicy, type JetStreamManager } from "@nats-io/jetstream"
import { createInbox, type Msg, type NatsConnection, nanos, nuid } from "@nats-io/transport-node"

export type LogStart = { readonly time: Date } | { readonly lastPerSubject: true }

export interface LogRange {
  readonly stream: string
  readonly filterSubject: string
  readonly start: LogStart
  /** Stop after this stream sequence (e.g. the last one when the read began), so a live log still ends. */
  readonly untilSeq?: number
}

export interface LogMessageView {
  readonly subject: string
  readonly data: Uint8Array
}

export interface LogReadHandlers {
  /**
   * Each message in log order; returning false ends the read. The subject is decoded only when read, so a
   * handler that takes every subject does not pay for it.
   */
  readonly onMessage: (m: LogMessageView, seq: number) => boolean
  /** Messages read so far, of at most `total` (the range's count when the read began). */
  readonly onProgress?: (read: number, total: number) => void
}

const PULL_BATCH = 10_000
/** The server ends a pull that found nothing after this long; a few in a row with nothing is a stall. */
const PULL_EXPIRES_MS = 2_000
const MAX_EMPTY_PULLS = 5
const PROGRESS_EVERY = 20_000

const consumerConfig = (name: string, r: LogRange): Partial<ConsumerConfig> => ({
  name,
  ack_policy: AckPolicy.None,
  filter_subject: r.filterSubject,
  mem_storage: true,
  num_replicas: 1,
  // A reader that dies leaves its consumer behind only this long.
  inactive_threshold: nanos(60_000),
  ...("time" in r.start
    ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: r.start.time.toISOString() }
    : { deliver_policy: DeliverPolicy.LastPerSubject }),
})

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (2.9; read in place after the known
 * prefix, no split per message), or the 2.10+ form with domain and account hash in front and a random token
 * at the end: stream seq, delivery seq, messages left.
 */
const ackPosition = (reply: string, prefix: string): { seq: number; dseq: number; pending: number } => {
  if (!reply.startsWith(prefix)) {
    const t = reply.split(".")
    const o = t.length === 9 ? 0 : 2
    return { seq: Number(t[5 + o]), dseq: Number(t[6 + o]), pending: Number(t[8 + o]) }
  }
  const a = reply.indexOf(".", prefix.length)
  const b = reply.indexOf(".", a + 1)
  const c = reply.indexOf(".", b + 1)
  const d = reply.indexOf(".", c + 1)
  return {
    seq: Number(reply.slice(a + 1, b)),
    dseq: Number(reply.slice(b + 1, c)),
    pending: Number(reply.slice(d + 1)),
  }
}

const pullAll = (nc: NatsConnection, r: LogRange, consumer: string, total: number, h: LogReadHandlers) =>
  new Promise<number>((resolve, reject) => {
    const inbox = createInbox()
    const ackPrefix = `$JS.ACK.${r.stream}.${consumer}.`
    const request = JSON.stringify({ batch: PULL_BATCH, expires: nanos(PULL_EXPIRES_MS) })
    let [read, owed, lastDseq, emptyPulls, readAtPull] = [0, 0, 0, 0, 0]
    const pull = () => {
      owed = PULL_BATCH
      readAtPull = read
      nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${r.stream}.${consumer}`, request, { reply: inbox })
    }
    const end = (error?: Error) => {
      sub.unsubscribe()
      h.onProgress?.(read, total)
      if (error === undefined) resolve(read)
      else reject(error)
    }
    const onStatus = (m: Msg) => {
      const code = m.headers?.code ?? 0
      // 408: the pull expired, 404: nothing more; both end this pull.
      if (code !== 408 && code !== 404)
        return end(new Error(`log read: status ${code} ${m.headers?.description}`))
      emptyPulls = read === readAtPull ? emptyPulls + 1 : 0
      if (code === 404 || emptyPulls >= MAX_EMPTY_PULLS) return end()
      pull()
    }
    const onMessage = (m: Msg) => {
      if (m.reply === undefined || m.data.length === 0) return onStatus(m)
      const at = ackPosition(m.reply, ackPrefix)
      if (at.dseq !== lastDseq + 1) return end(new Error(`log read: delivery ${at.dseq} after ${lastDseq}`))
      lastDseq = at.dseq
      read++
      owed--
      if (read % PROGRESS_EVERY === 0) h.onProgress?.(read, total)
      let more: boolean
      try {
        more = h.onMessage(m, at.seq)
      } catch (e) {
        return end(e as Error)
      }
      if (!more || at.pending === 0 || at.seq >= (r.untilSeq ?? Number.POSITIVE_INFINITY)) return end()
      if (owed === 0) pull()
    }
    const sub = nc.subscribe(inbox, {
      callback: (err, m) => (err === null ? onMessage(m) : end(err)),
    })
    pull()
  })

/** Reads `range` in log order into `handlers`; resolves to how many messages were read. */
export const readLogRange = async (
  nc: NatsConnection,
  jsm: JetStreamManager,
  range: LogRange,
  handlers: LogReadHandlers,
): Promise<number> => {
  const name = `read_${nuid.next()}`
  const info = await jsm.consumers.add(range.stream, consumerConfig(name, range))
  try {
    return info.num_pending === 0 ? 0 : await pullAll(nc, range, name, info.num_pending, handlers)
  } finally {
    await jsm.consumers.delete(range.stream, name).catch(() => false)
  }
}
