/**
 * Parses a batch of log messages by subject: `bars.1m.*` -> 1m bars, `ref.*` -> reference data, anything else
 * or anything malformed -> a dead letter with its reason. Keeps the highest rev of a bar seen twice.
 */
import type { JsMsg } from "@nats-io/jetstream"
import { Result } from "effect"
import type { DeadLetter } from "../adapters/clickhouse/dead-letters.ts"
import type { BarClosed } from "../domain/bar.ts"
import { decodeBarClosedJson } from "../domain/bar-closed-fast.ts"
import { decodeReferenceJson, type InstrumentReference } from "../domain/instrument-reference.ts"

export interface DecodedBatch {
  readonly bars: ReadonlyArray<BarClosed>
  /** With the log sequence that carried each, so the latest fact wins the same way on every replay. */
  readonly refs: ReadonlyArray<InstrumentReference & { readonly seq: number }>
  readonly dead: ReadonlyArray<DeadLetter>
}

const decoder = new TextDecoder()
const oneLine = (s: string) => s.replaceAll("\n", " ")

export const decodeLogBatch = (
  messages: ReadonlyArray<Pick<JsMsg, "subject" | "data" | "seq">>,
): DecodedBatch => {
  const bars = new Map<string, BarClosed>()
  const refs: Array<InstrumentReference & { seq: number }> = []
  const dead: DeadLetter[] = []
  for (const m of messages) {
    const text = decoder.decode(m.data)
    const reject = (reason: string) =>
      dead.push({ stage: "projection", reason: `${m.subject}: ${reason}`, payload: text })
    if (m.subject.startsWith("bars.1m.")) {
      const bar = decodeBarClosedJson(text)
      if (Result.isFailure(bar)) reject(oneLine(bar.failure.message))
      else if (bar.success.period !== "1m") reject(`a ${bar.success.period} bar on a 1m subject`)
      else {
        const key = `${bar.success.symbol}|${bar.success.frame}`
        const seen = bars.get(key)
        if (seen === undefined || seen.rev < bar.success.rev) bars.set(key, bar.success)
      }
    } else if (m.subject.startsWith("ref.")) {
      const ref = decodeReferenceJson(text)
      if (Result.isFailure(ref)) reject(oneLine(ref.failure.message))
      else refs.push({ ...ref.success, seq: m.seq })
    } else reject("no projection for this subject")
  }
  return { bars: [...bars.values()], refs, dead }
}
