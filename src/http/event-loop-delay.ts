/**
 * How long the API's thread was kept from its event loop: every request, SSE push and relayed bar waits behind
 * whatever runs on it (in `minutebar up` also the projection's decoding and resampling). Like prom-client's
 * `nodejs_eventloop_lag_*`, each scrape reports the delays since the previous one, then starts afresh.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import type { GaugeSample, GaugeSource } from "./pipeline-gauges.ts"

const HELP = "Event loop delay of the API's thread since the previous scrape (quantile 1 is the longest)"

export const eventLoopDelay = (resolutionMs = 10): GaugeSource => {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs })
  histogram.enable()
  return async () => {
    const sample = (quantile: string, ns: number): GaugeSample => ({
      name: "minutebar_event_loop_delay_seconds",
      help: HELP,
      labels: { quantile },
      value: ns / 1e9,
    })
    // Two scrapes closer than the resolution have no delay between them: the series stays, at 0.
    const empty = histogram.count === 0
    const samples = [
      sample("0.5", empty ? 0 : histogram.percentile(50)),
      sample("0.99", empty ? 0 : histogram.percentile(99)),
      sample("1", empty ? 0 : histogram.max),
    ]
    histogram.reset()
    return samples
  }
}
