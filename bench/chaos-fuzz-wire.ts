/**
 * Bad input on the wire for the bad-input pass: Redis stream entries (what a broken adapter could XADD) and
 * JetStream messages on bars.1m.* and ref.* (what a broken relay could publish), each with why it is bad.
 * They name a symbol the good day does not have, so anything let through shows up as extra data.
 */
import { jetstream } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Redis } from "ioredis"
import type { SymbolCode } from "../src/domain/symbol.ts"
import { subjectToken } from "../src/domain/symbol.ts"

export interface BadEntry {
  readonly why: string
  readonly fields: ReadonlyArray<string>
}

export interface BadMessage {
  readonly why: string
  readonly subject: string
  readonly payload: string
}

const bar = (symbol: string, patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    symbol,
    frame: "2024-03-05 10:01:00",
    open: 10,
    high: 10.5,
    low: 9.5,
    close: 10.2,
    vol: 1_000,
    amount: 10_100,
    period: "1m",
    rev: 0,
    ...patch,
  })

const ref = (symbol: string, patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    symbol,
    day: "2024-03-05",
    name: "FUZZ",
    preClose: 10,
    limitUp: 11,
    limitDown: 9,
    st: false,
    adjust: 1,
    ...patch,
  })

/** The bar and reference payloads both kinds of garbage share. */
const badPayloads = (s: string): Array<{ why: string; kind: "bar" | "ref"; data: string }> => [
  { why: "not JSON", kind: "bar", data: "not json" },
  { why: "empty payload", kind: "bar", data: "" },
  { why: "a JSON array", kind: "bar", data: "[]" },
  { why: "unicode garbage", kind: "bar", data: "柱柱柱" },
  { why: "NaN as a string", kind: "bar", data: bar(s, { open: "NaN" }) },
  { why: "volume as a string", kind: "bar", data: bar(s, { vol: "100" }) },
  { why: "negative volume", kind: "bar", data: bar(s, { vol: -1 }) },
  { why: "low above high", kind: "bar", data: bar(s, { low: 11 }) },
  { why: "fractional rev", kind: "bar", data: bar(s, { rev: 1.5 }) },
  { why: "negative rev", kind: "bar", data: bar(s, { rev: -1 }) },
  { why: "rev beyond UInt32 (ClickHouse would wrap it)", kind: "bar", data: bar(s, { rev: 2 ** 32 }) },
  { why: "far-future frame", kind: "bar", data: bar(s, { frame: "2999-01-01 09:31:00" }) },
  { why: "impossible frame", kind: "bar", data: bar(s, { frame: "9999-99-99 99:99:99" }) },
  { why: "frame off the session grid (12:00)", kind: "bar", data: bar(s, { frame: "2024-03-05 12:00:00" }) },
  { why: "huge symbol string", kind: "bar", data: bar("1".repeat(900_000)) },
  { why: "empty reference", kind: "ref", data: "{}" },
  { why: "negative previous close", kind: "ref", data: ref(s, { preClose: -1 }) },
  { why: "zero adjustment factor", kind: "ref", data: ref(s, { adjust: 0 }) },
  { why: "far-future trading day", kind: "ref", data: ref(s, { day: "2999-12-31" }) },
  { why: "100 kB name", kind: "ref", data: ref(s, { name: "名".repeat(100_000) }) },
]

export const badEntries = (s: SymbolCode): BadEntry[] => [
  ...badPayloads(s).map((p) => ({ why: p.why, fields: ["type", p.kind, "data", p.data] })),
  { why: "no data field", fields: ["type", "bar"] },
  { why: "no type field", fields: ["data", bar(s)] },
  { why: "unknown type", fields: ["type", "bogus", "data", bar(s)] },
  { why: "unicode type", fields: ["type", "柱", "data", bar(s)] },
  { why: "a 1 MB bar", fields: ["type", "bar", "data", bar("1".repeat(1 << 20))] },
]

export const badMessages = (s: SymbolCode): BadMessage[] => [
  ...badPayloads(s).map((p) => ({
    why: p.why,
    subject: p.kind === "bar" ? `bars.1m.${subjectToken(s)}` : `ref.${subjectToken(s)}`,
    payload: p.data,
  })),
  {
    why: "a 5m bar on a 1m subject",
    subject: `bars.1m.${subjectToken(s)}`,
    payload: bar(s, { period: "5m" }),
  },
]

/** XADDs each entry; returns their ids (a dead letter names the entry it came from by its id). */
export const xaddAll = async (url: string, stream: string, entries: ReadonlyArray<BadEntry>) => {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 })
  try {
    const ids: string[] = []
    for (const e of entries) ids.push((await redis.xadd(stream, "*", ...e.fields)) ?? "")
    return ids
  } finally {
    redis.disconnect()
  }
}

export const publishAll = async (url: string, messages: ReadonlyArray<BadMessage>) => {
  const nc = await connect({ servers: url, name: "chaos-fuzz" })
  try {
    const js = jetstream(nc)
    const encoder = new TextEncoder()
    for (const [i, m] of messages.entries())
      await js.publish(m.subject, encoder.encode(m.payload), { msgID: `fuzz-${Date.now()}-${i}` })
  } finally {
    await nc.close()
  }
}
