import { execFileSync, spawnSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { unsupportedNode } from "../../bin/node-version.js"

/** The machine's own node, when it is one too old for minutebar (Debian's, beside the project's Node 22). */
const oldNode = (() => {
  try {
    const version = execFileSync("/usr/bin/node", ["--version"], { encoding: "utf8" }).trim()
    return unsupportedNode(version) === undefined ? undefined : { path: "/usr/bin/node", version }
  } catch {
    return undefined
  }
})()

describe("the Node that runs minutebar", () => {
  it("is one that strips TypeScript types by default: 22.18 and later in 22, 23.6 and later, 24 on", () => {
    for (const ok of ["22.18.0", "22.23.3", "23.6.0", "24.1.0", "v25.0.0"])
      expect(unsupportedNode(ok)).toBeUndefined()
    for (const old of ["20.20.2", "22.12.0", "22.17.1", "23.5.0"])
      expect(unsupportedNode(old)).toContain("minutebar needs Node >= 22.18")
  })

  it.skipIf(oldNode === undefined)("an older one gets that said, and exit code 1, not a stack trace", () => {
    const run = spawnSync(oldNode!.path, ["bin/minutebar.js", "--help"], { encoding: "utf8" })
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(
      `minutebar needs Node >= 22.18 (it runs its TypeScript as is, by Node's type stripping); this is Node ${oldNode!.version.slice(1)}`,
    )
  })

  it("the project's own starts it", () => {
    const run = spawnSync(process.execPath, ["bin/minutebar.js", "--help"], { encoding: "utf8" })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toContain("up")
  })
})
