/** `GET /metrics`: Effect's metrics and the pipeline gauges in Prometheus text format. */
import { Effect, Metric } from "effect"
import { Hono } from "hono"
import { type GaugeSource, renderGauges } from "../pipeline-gauges.ts"

const escape = (v: unknown): string =>
  String(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")

const labels = (attributes: Metric.Metric.AttributeSet | undefined): string => {
  const entries = Object.entries(attributes ?? {})
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`
}

export const renderPrometheus = (snapshots: ReadonlyArray<Metric.Metric.Snapshot>): string => {
  // Prometheus wants each family's samples in one group under its HELP and TYPE lines.
  const families = new Map<string, string[]>()
  for (const s of snapshots) {
    if (s.type !== "Counter" && s.type !== "Gauge") continue
    let lines = families.get(s.id)
    if (lines === undefined) {
      lines = s.description === undefined ? [] : [`# HELP ${s.id} ${s.description}`]
      lines.push(`# TYPE ${s.id} ${s.type === "Counter" ? "counter" : "gauge"}`)
      families.set(s.id, lines)
    }
    const value = s.type === "Counter" ? s.state.count : s.state.value
    lines.push(`${s.id}${labels(s.attributes)} ${String(value)}`)
  }
  return `${[...families.values()].flat().join("\n")}\n`
}

export const metricsRoute = (gauges: ReadonlyArray<GaugeSource> = []) =>
  new Hono().get("/", async (c) => {
    const snapshots = await Effect.runPromise(Metric.snapshot)
    const text = renderPrometheus(snapshots) + (await renderGauges(gauges))
    return c.text(text, 200, { "content-type": "text/plain; version=0.0.4" })
  })
