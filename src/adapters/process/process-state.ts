/** What `ps` (Linux and macOS alike) says of one process. */
import { execFileSync } from "node:child_process"

export interface ProcessState {
  /** False for a zombie: exited, not yet reaped (by an init that may never reap it). */
  readonly running: boolean
  readonly command: string
}

/** The process' state and command line, or undefined when it is gone. */
export const processState = (pid: number): ProcessState | undefined => {
  try {
    const line = execFileSync("ps", ["-p", String(pid), "-o", "stat=,command="], { encoding: "utf8" }).trim()
    const space = line.indexOf(" ")
    return { running: !line.startsWith("Z"), command: line.slice(space + 1) }
  } catch {
    return undefined
  }
}

export const isRunning = (pid: number): boolean => processState(pid)?.running === true
