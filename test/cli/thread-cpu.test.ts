import { describe, expect, it } from "vitest"
import { makeThreadCpu, ownThreadCpu } from "../../src/cli/thread-cpu.ts"
import { renderGauges } from "../../src/http/pipeline-gauges.ts"

const byThread = (samples: ReadonlyArray<{ labels?: Record<string, string>; value: number }>) =>
  Object.fromEntries(samples.map((s) => [s.labels?.thread, s.value]))

describe("minutebar_cpu_seconds_total", () => {
  it("splits the process' CPU into the main thread, each part thread as it reported, and the native rest", async () => {
    const cpu = makeThreadCpu()
    cpu.record("relay", { user: 1_500_000, system: 500_000 })
    const t = byThread(await cpu.gauge())
    expect(Object.keys(t).sort()).toEqual(["main", "native", "relay"])
    expect(t.relay).toBe(2)
    expect(t.main).toBeGreaterThan(0)
    expect(t.native).toBeGreaterThanOrEqual(0)
  })

  it("takes a part's newest report, not the sum of its reports (each is the thread's total so far)", async () => {
    const cpu = makeThreadCpu()
    cpu.record("source", { user: 1_000_000, system: 0 })
    cpu.record("source", { user: 3_000_000, system: 0 })
    expect(byThread(await cpu.gauge()).source).toBe(3)
  })

  it("is left out, not an error, on a Node without process.threadCpuUsage (23.6 to 23.8)", async () => {
    const own = process.threadCpuUsage
    Reflect.deleteProperty(process, "threadCpuUsage")
    try {
      expect(ownThreadCpu()).toBeUndefined()
      const cpu = makeThreadCpu()
      cpu.record("relay", { user: 1, system: 1 })
      expect(await cpu.gauge()).toEqual([])
    } finally {
      process.threadCpuUsage = own
    }
  })

  it("is served as a counter", async () => {
    const text = await renderGauges([makeThreadCpu().gauge])
    expect(text).toContain("# TYPE minutebar_cpu_seconds_total counter")
    expect(text).toMatch(/^minutebar_cpu_seconds_total\{thread="main"\} \d/m)
  })
})
