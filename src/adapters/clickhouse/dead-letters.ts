/** The dead-letter table: what a ClickHouse-side pipeline could not take, with its reason. */
import { Effect } from "effect"
import { ClickHouse } from "./clickhouse.ts"

export interface DeadLetter {
  readonly stage: string
  readonly reason: string
  readonly payload: string
}

// A payload is evidence, not data: cap it so one huge garbage message cannot bloat the table.
const MAX_PAYLOAD = 64 * 1024

export const writeDeadLetters = Effect.fn("writeDeadLetters")(function* (letters: ReadonlyArray<DeadLetter>) {
  const ch = yield* ClickHouse
  // DateTime64 reads 'YYYY-MM-DD hh:mm:ss.sss' in the column's zone (UTC).
  const at = new Date().toISOString().replace("T", " ").replace("Z", "")
  yield* ch.insert(
    "dead_letters",
    letters.map((l) => ({ at, stage: l.stage, reason: l.reason, payload: l.payload.slice(0, MAX_PAYLOAD) })),
  )
})
