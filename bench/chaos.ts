/**
 * The fault suite (`npm run chaos`, `CHAOS_SHORT=1` or `--short` for the CI version): a simulated day through
 * the whole pipeline while processes are SIGKILLed and Redis and NATS restarted, judged against the
 * simulator's ground truth; then the bad-input pass. The last line is `lost=N duplicated=N wrong=N`; the exit
 * code is 0 only when all three are 0 and the bad-input pass held. CHAOS_SEED replays a run's schedule.
 */
import { runFuzz } from "./chaos-fuzz.ts"
import { fuzzFindings, fuzzSummary } from "./chaos-fuzz-report.ts"
import { type ChaosMode, type ChaosReport, runChaos } from "./chaos-run.ts"

const FULL: ChaosMode = {
  name: "full",
  symbols: 300,
  tickIntervalMs: 6_000,
  replayMs: 120_000,
  killsPerWorker: 4,
  redisOutageMs: 30_000,
}

const SHORT: ChaosMode = {
  name: "short",
  symbols: 100,
  tickIntervalMs: 15_000,
  replayMs: 35_000,
  killsPerWorker: 2,
  redisOutageMs: 10_000,
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`)

const printReport = (r: ChaosReport, mode: ChaosMode, seed: number, seconds: number) => {
  for (const [table, d] of Object.entries(r.verdict.tables))
    log(
      `chaos: ${table}: missing ${d.missing}, extra ${d.extra}, different ${d.different}, doubled ${d.doubled}` +
        (d.examples.length > 0 ? ` (${d.examples.join("; ")})` : ""),
    )
  log(
    `chaos: reference data missing for ${r.verdict.refsMissing} symbols; ${r.verdict.logDuplicates} ids twice in the log`,
  )
  if (r.unexpectedExits.length > 0) log(`chaos: exits nobody caused: ${r.unexpectedExits.join("; ")}`)
  log(
    `chaos ${mode.name} (CHAOS_SEED=${seed}): ${r.ticks} ticks, ${r.bars} 1m bars, ${r.kills} kills, ` +
      `${r.actions.length} actions, ${seconds.toFixed(0)} s`,
  )
}

/** The bad-input pass; true when it found nothing. */
const fuzzPass = async (seed: number): Promise<boolean> => {
  const t0 = Date.now()
  const report = await runFuzz(seed, log)
  for (const line of fuzzSummary(report)) log(line)
  const findings = fuzzFindings(report)
  for (const f of findings) log(`fuzz FINDING: ${f}`)
  log(`fuzz: ${findings.length} findings, ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  return findings.length === 0
}

const main = async () => {
  const short = process.env.CHAOS_SHORT === "1" || process.argv.includes("--short")
  const only = process.argv.includes("--fuzz-only")
    ? "fuzz"
    : process.argv.includes("--faults-only")
      ? "faults"
      : "both"
  const mode = short ? SHORT : FULL
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000)
  log(`chaos ${mode.name}: seed ${seed} (CHAOS_SEED=${seed} replays the schedule)`)
  const fuzzOk = only === "faults" || (await fuzzPass(seed))
  if (only === "fuzz") return fuzzOk ? 0 : 1
  const t0 = Date.now()
  const report = await runChaos(mode, seed, log)
  printReport(report, mode, seed, (Date.now() - t0) / 1000)
  const { lost, duplicated, wrong } = report.verdict
  console.log(`lost=${lost} duplicated=${duplicated} wrong=${wrong}`)
  return lost === 0 && duplicated === 0 && wrong === 0 && fuzzOk ? 0 : 1
}

// A failure still ends with the verdict line, so whoever reads only the last line sees the run did not pass.
main().then(
  (code) => process.exit(code),
  (e: Error) => {
    log(`chaos: ${e.stack ?? e.message}`)
    console.log("lost=? duplicated=? wrong=? (the run did not finish)")
    process.exit(2)
  },
)
