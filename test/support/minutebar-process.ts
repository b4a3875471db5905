/** A minutebar process for the tests that run the CLI as a user does: its output collected, its exit awaited. */
import { type ChildProcess, spawn } from "node:child_process"
import { eventually } from "./runtime.ts"

export interface MinutebarProcess {
  readonly child: ChildProcess
  output(): string
  readonly exited: Promise<number | null>
}

/** `node <nodeArgs>` (e.g. `src/main.ts up`) with exactly `env`; `detached`: a process group of its own. */
export const spawnMinutebar = (
  nodeArgs: ReadonlyArray<string>,
  o: { readonly env: NodeJS.ProcessEnv; readonly cwd?: string; readonly detached?: boolean },
): MinutebarProcess => {
  const child = spawn(process.execPath, [...nodeArgs], {
    env: o.env,
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: o.detached ?? false,
  })
  let output = ""
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** Waits until the process has printed `text`; the failure carries what it printed. */
export const untilPrinted = (p: MinutebarProcess, text: string, timeoutMs = 60_000) =>
  eventually(async () => p.output().includes(text), timeoutMs, JSON.stringify(text)).catch((e: Error) => {
    throw new Error(`${e.message}; output: ${p.output()}`)
  })
