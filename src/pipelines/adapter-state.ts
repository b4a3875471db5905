/**
 * The adapter's commit record, `state.json`: the bar builder's snapshot, the replay gate, and `outboxEnd`, the
 * outbox position the snapshot goes with. Written atomically (temp file, fsync, rename) after the events it
 * produced are in the outbox and before any of them is sent, so after a crash:
 * - outbox entries at or beyond `outboxEnd` were never sent and are dropped (the builder makes them again);
 * - every event that may have reached Redis came from a state at or before the saved one, so the resumed
 *   builder never re-emits a bar id with different contents.
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Schema } from "effect"
import { BuilderState } from "../domain/builder-snapshot.ts"
import { writeFileAtomic } from "./outbox-files.ts"

export const AdapterState = Schema.Struct({
  version: Schema.Literal(1),
  outboxEnd: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  /** Per symbol: time and cumulative shares of the last applied tick (see replay-gate.ts). */
  lastTicks: Schema.Record(Schema.String, Schema.Tuple([Schema.Finite, Schema.Finite])),
  builder: BuilderState,
})
export type AdapterState = typeof AdapterState.Type

export const STATE_FILE = "state.json"

export class AdapterStateUnreadable extends Error {
  override readonly name = "AdapterStateUnreadable"
}

const decodeState = Schema.decodeUnknownResult(Schema.fromJsonString(AdapterState))

/** The saved state, or undefined on a first start. An unreadable one stops the adapter with what to do. */
export const loadAdapterState = async (dir: string): Promise<AdapterState | undefined> => {
  const path = join(dir, STATE_FILE)
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined
    throw e
  })
  if (text === undefined) return undefined
  const state = decodeState(text)
  if (state._tag === "Success") return state.success
  throw new AdapterStateUnreadable(
    `${path} is unreadable (${state.failure.message.split("\n")[0]}). Move it away to start fresh: today's bars ` +
      "are then rebuilt from QMT's next snapshots, and bars already sent stay as they are.",
  )
}

/**
 * The JSON of a state, assembled from parts already serialised when the state was captured (the builder's
 * snapshot is the bulk of it, and is serialised once).
 */
export const stateJson = (outboxEnd: number, lastTicksJson: string, builderJson: string): string =>
  `{"version":1,"outboxEnd":${outboxEnd},"lastTicks":${lastTicksJson},"builder":${builderJson}}`

export const saveAdapterState = (dir: string, json: string): Promise<void> =>
  writeFileAtomic(join(dir, STATE_FILE), json, true)
