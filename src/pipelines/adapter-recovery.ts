/**
 * Startup is recovery: the adapter's builder, replay gate, outbox and send cursor, from what the last run left
 * in the state directory. Checks the outbox against the saved state and stops with what to do when they cannot
 * both be true.
 */
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { type MinuteBarBuilder, makeMinuteBarBuilder } from "../domain/minute-bar-builder.ts"
import { loadAdapterState, saveAdapterState, stateJson } from "./adapter-state.ts"
import { Outbox, OutboxCorrupt } from "./outbox.ts"
import { loadSentCursor } from "./outbox-sender.ts"
import { ReplayGate } from "./replay-gate.ts"

export interface RecoveredAdapter {
  readonly builder: MinuteBarBuilder
  readonly gate: ReplayGate
  readonly outbox: Outbox
  /** The seq the sender resumes from. */
  readonly sentFrom: number
  /** What recovery found, for the start-up log. */
  readonly summary: string
}

export const outboxDir = (stateDir: string): string => join(stateDir, "outbox")

export const recoverAdapter = async (stateDir: string, graceMs: number): Promise<RecoveredAdapter> => {
  await mkdir(stateDir, { recursive: true })
  const state = await loadAdapterState(stateDir)
  const outbox = await Outbox.open(outboxDir(stateDir), { emptyEnd: state?.outboxEnd ?? 0 })
  let dropped = 0
  if (state === undefined) {
    // The first commit record: from here on every outbox entry is covered by a saved state.
    const fresh = JSON.stringify(makeMinuteBarBuilder({ graceMs }).snapshot())
    await saveAdapterState(stateDir, stateJson(outbox.end, "{}", fresh))
  } else if (outbox.end > state.outboxEnd) {
    // Appended, but the state that made them was never saved, so they were never sent: the builder makes
    // them again from the saved state.
    dropped = outbox.end - state.outboxEnd
    await outbox.truncateTo(state.outboxEnd)
  } else if (outbox.end < state.outboxEnd) {
    await outbox.close()
    throw new OutboxCorrupt(
      `the outbox in ${outbox.dir} ends at event ${outbox.end} but the saved state says ${state.outboxEnd}: ` +
        "outbox files were removed. Restore them, or move the state directory away to start fresh.",
    )
  }
  const sentFrom = await loadSentCursor(outbox)
  const symbols = state?.builder.symbols.length ?? 0
  return {
    builder: makeMinuteBarBuilder(state === undefined ? { graceMs } : { graceMs, state: state.builder }),
    gate: new ReplayGate(state?.lastTicks),
    outbox,
    sentFrom,
    summary:
      state === undefined
        ? `fresh start in ${stateDir}`
        : `resumed ${symbols} symbols from ${stateDir}; ${outbox.end - sentFrom} events to send` +
          (dropped > 0 ? `; dropped ${dropped} unsent events made after the saved state` : ""),
  }
}
