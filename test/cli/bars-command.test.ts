import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import type { Bar } from "../../src/domain/bar.ts"
import { resample } from "../../src/domain/resample.ts"
import { MOUTAI_TICKS, PINGAN_BARS, readBars } from "../domain/fixtures.ts"

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/main.ts")

/** Runs `minutebar <args>` as a child process on this Node (22, which runs .ts), optionally feeding stdin. */
const minutebar = (args: ReadonlyArray<string>, input?: string) => {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: "utf8", maxBuffer: 1 << 28 })
  const lines = r.stdout.split("\n").filter((l) => l !== "")
  return { status: r.status, stderr: r.stderr, lines, bars: lines.map((l) => JSON.parse(l) as Bar) }
}

const KEYS = ["symbol", "frame", "open", "high", "low", "close", "vol", "amount"]
const scratch = mkdtempSync(path.join(tmpdir(), "minutebar-bars-"))

describe("minutebar bars from-ticks", () => {
  const clean = minutebar(["bars", "from-ticks", MOUTAI_TICKS])

  it("prints the 240 1m bars of 600519.SH as NDJSON with exactly the bar keys, in order", () => {
    expect(clean.status).toBe(0)
    expect(clean.stderr).toBe("")
    expect(clean.bars).toHaveLength(240)
    for (const line of clean.lines) expect(Object.keys(JSON.parse(line))).toEqual(KEYS)
    expect(clean.lines[0]).toBe(
      '{"symbol":"600519.SH","frame":"2023-02-01 09:31:00","open":1854.98,"high":1855,"low":1846.05,"close":1847.1,"vol":86600,"amount":160482640}',
    )
    expect(clean.bars.reduce((s, b) => s + b.vol, 0)).toBe(3_397_389)
    expect(clean.bars.reduce((s, b) => s + b.amount, 0).toFixed(2)).toBe("6244678924.61")
  })

  it("reports bad lines on stderr with their line number and still prints the rest", () => {
    const lines = readFileSync(MOUTAI_TICKS, "utf8").trimEnd().split("\n")
    const fellBack = lines[1000]!.replace(/"pvolume":\d+/, '"pvolume":5')
    const bad = [
      ...lines.slice(0, 200),
      "not json",
      '{"symbol":"600519.SH"}',
      "",
      ...lines.slice(200, 1000),
      fellBack,
      ...lines.slice(1001),
    ]
    const file = path.join(scratch, "bad-ticks.ndjson")
    writeFileSync(file, `${bad.join("\n")}\n`)
    const r = minutebar(["bars", "from-ticks", file])
    expect(r.status).toBe(0)
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      `${file}:201: not JSON (Unexpected token 'o', "not json" is not valid JSON)`,
      `${file}:202: Missing key at ["time"]`,
      expect.stringMatching(new RegExp(`^${file}:1004: cumulative volume fell from \\d+ to 5 shares$`)),
    ])
    expect(r.lines).toEqual(clean.lines)
  })

  it("reads stdin when no file is given", () => {
    expect(minutebar(["bars", "from-ticks"], readFileSync(MOUTAI_TICKS, "utf8")).lines).toEqual(clean.lines)
  })

  it("sorts interleaved symbols by symbol then frame", () => {
    const ticks = readFileSync(MOUTAI_TICKS, "utf8").trimEnd().split("\n")
    const other = ticks.map((l) => l.replace('"600519.SH"', '"000858.SZ"'))
    const r = minutebar(["bars", "from-ticks"], `${ticks.flatMap((l, i) => [l, other[i]]).join("\n")}\n`)
    expect(r.bars.map((b) => b.symbol)).toEqual([
      ...Array(240).fill("000858.SZ"),
      ...Array(240).fill("600519.SH"),
    ])
    expect(r.lines.slice(240)).toEqual(clean.lines)
  })

  it("fails with a non-zero exit code when the file cannot be read", () => {
    const r = minutebar(["bars", "from-ticks", path.join(scratch, "missing.ndjson")])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain("cannot read")
  })
})

describe("minutebar bars resample", () => {
  it.each(["5m", "30m", "60m", "1d"] as const)(
    "prints %s bars of 000001.SZ as the domain resampler makes them",
    (p) => {
      const r = minutebar(["bars", "resample", "--period", p, PINGAN_BARS])
      expect(r.status).toBe(0)
      expect(r.bars).toEqual(resample(readBars(PINGAN_BARS), p))
      for (const line of r.lines) expect(Object.keys(JSON.parse(line))).toEqual(KEYS)
    },
  )

  it("frames daily bars YYYY-MM-DD", () => {
    const r = minutebar(["bars", "resample", "--period", "1d"], readFileSync(PINGAN_BARS, "utf8"))
    expect(r.bars.map((b) => b.frame)).toHaveLength(10)
    expect(r.bars[0]!.frame).toBe("2018-01-02")
  })

  it("reports a bad bar line and resamples the rest", () => {
    const lines = readFileSync(PINGAN_BARS, "utf8").trimEnd().split("\n")
    const broken = lines[5]!.replace(/"high":[\d.]+/, '"high":0')
    const r = minutebar(
      ["bars", "resample", "--period", "1d"],
      `${[...lines.slice(0, 5), broken, ...lines.slice(6)].join("\n")}\n`,
    )
    expect(r.stderr).toBe("stdin:6: prices must satisfy low <= open, close <= high\n")
    expect(r.bars).toHaveLength(10)
  })

  it("stops quietly, exit code 0, when the reader goes away (| head)", () => {
    const lines = readFileSync(PINGAN_BARS, "utf8").trimEnd().split("\n")
    const file = path.join(scratch, "many-bars.ndjson")
    const copies = Array.from({ length: 20 }, (_, i) =>
      lines.map((l) => l.replace("000001.SZ", `${600000 + i}.SH`)),
    )
    writeFileSync(file, `${copies.flat().join("\n")}\n`)
    const r = spawnSync(
      "bash",
      [
        "-c",
        `set -o pipefail; "${process.execPath}" "${main}" bars resample --period 5m "${file}" | head -1`,
      ],
      {
        encoding: "utf8",
      },
    )
    expect([r.status, r.stderr]).toEqual([0, ""])
    expect(r.stdout).toContain('"symbol":"600000.SH"')
  })
})
