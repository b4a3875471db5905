/** Measures the simulated QMT source: ticks per second for a whole-market day, and a cold replay of the day. */
import { makeMarketSimulator } from "../src/adapters/simulator/market-simulator.ts"

const symbols = Number(process.argv[2] ?? 5_000)
const sim = makeMarketSimulator({ seed: 42, day: "2024-06-12", symbols })
const dayStart = sim.marketTime("09:00")
const dayEnd = sim.marketTime("15:10")

let ticks = 0
let volume = 0
const t0 = performance.now()
for (const batch of sim.batches(dayStart, dayEnd)) {
  ticks += batch.ticks.length
  // Touch every tick so the generator cannot be credited for work nobody reads.
  for (const t of batch.ticks) volume += t.volume
}
const daySeconds = (performance.now() - t0) / 1000

// An earlier window after the day was generated replays the state from 09:15 without making ticks.
const t1 = performance.now()
sim.ticksBetween(sim.marketTime("14:55"), sim.marketTime("14:56"))
const replaySeconds = (performance.now() - t1) / 1000

console.log(
  JSON.stringify({
    symbols,
    ticks,
    volume,
    daySeconds: Number(daySeconds.toFixed(2)),
    ticksPerSecond: Math.round(ticks / daySeconds),
    replayTo1455Seconds: Number(replaySeconds.toFixed(2)),
  }),
)
