/** The relay's options from settings: one place for `minutebar relay` and the relay of `minutebar up`. */
import type { Settings } from "../config/settings.ts"
import type { RelayOptions } from "../pipelines/relay.ts"

export const relayOptions = (s: Settings): RelayOptions => ({
  group: s.relayGroup,
  consumer: s.relayConsumer,
  batchSize: s.relayBatch,
  blockMs: 1_000,
  claimIdleMs: s.relayClaimIdleMs,
  inFlight: s.relayInFlight,
})
