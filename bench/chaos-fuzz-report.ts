/** The bad-input pass in words: a summary per kind of input, and the findings that make it fail. */
import type { FuzzReport, Pass } from "./chaos-fuzz.ts"
import type { Rejections } from "./chaos-fuzz-evidence.ts"

const reasons = (r: Rejections) =>
  Object.entries(r.reasons)
    .map(([reason, n]) => (n > 1 ? `${n}x ${reason}` : reason))
    .join(" | ")

export const fuzzSummary = (r: FuzzReport): string[] => {
  const b = r.store.bars
  const statuses = Object.entries(r.api.byStatus)
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ")
  return [
    `fuzz ticks: ${r.ticks.sent} bad sent, ${r.ticks.refused.count} refused (${reasons(r.ticks.refused)})`,
    `fuzz Redis entries: ${r.entries.sent} bad sent, ${r.entries.refused.count} in :dead (${reasons(r.entries.refused)})`,
    `fuzz JetStream messages: ${r.messages.sent} bad sent, ${r.messages.refused.count} in dead_letters (${reasons(r.messages.refused)})`,
    `fuzz good day: missing ${b.missing}, different ${b.different}, extra ${b.extra}, stray reference rows ${r.store.strayRefs}`,
    `fuzz API: ${r.api.requests} requests, ${r.api.refused} refused (400/404, or 414/431 for over-long URLs); statuses ${statuses}`,
    ...(r.skipped.length > 0 ? [`fuzz: SKIPPED by CHAOS_FUZZ_SKIP: ${r.skipped.join(", ")}`] : []),
  ]
}

/** Everything that breaks the rule "every bad input refused with a reason and counted, nothing else lost, no 5xx". */
export const fuzzFindings = (r: FuzzReport): string[] => {
  const out: string[] = []
  const count = (what: string, p: Pass) => {
    if (p.refused.count !== p.sent) out.push(`${what}: ${p.sent} bad sent, ${p.refused.count} dead letters`)
    if (p.through.length > 0) out.push(`${what} let through: ${p.through.join(", ")}`)
  }
  // The bridge's tick clock (replays) follows the newest tick time, bad ones included: heartbeats then fail too.
  const heartbeats = Object.entries(r.ticks.refused.reasons)
    .filter(([reason]) => reason.startsWith("bad heartbeat"))
    .reduce((n, [, c]) => n + c, 0)
  if (heartbeats > 0)
    out.push(`${heartbeats} bridge heartbeats refused: the tick clock took a bad tick's time`)
  const ticks = r.ticks.refused.count - heartbeats
  if (ticks !== r.ticks.sent)
    out.push(`ticks: ${r.ticks.sent} bad sent, ${ticks} refused (the rest got through)`)
  count("Redis entries", r.entries)
  count("JetStream messages", r.messages)
  const b = r.store.bars
  if (b.missing + b.different > 0) out.push(`good bars lost or changed: ${b.examples.join("; ")}`)
  if (b.extra > 0)
    out.push(`${b.extra} bars that are not the good day's got into bars_1m: ${b.examples.join("; ")}`)
  if (r.store.strayRefs > 0) out.push(`${r.store.strayRefs} reference rows of another day or symbol got in`)
  for (const e of r.api.serverErrors) out.push(`API 5xx or no answer: ${e}`)
  for (const e of r.api.notRefused) out.push(`API accepted a bad request: ${e}`)
  for (const e of r.api.badShape) out.push(`API error not shaped {error:{code,message}}: ${e}`)
  for (const e of r.unexpectedExits) out.push(`process: ${e}`)
  for (const e of r.stalls) out.push(`stuck: ${e}`)
  return out
}
