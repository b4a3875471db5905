/**
 * Progress on stderr for long commands: on a terminal one line redrawn in place (at most ten times a
 * second); otherwise, e.g. into a log file, one line at each tenth of the way, so logs stay short.
 *
 * State: when the line was last drawn, and the last tenth printed.
 */

export interface ProgressBar {
  update(done: number, total: number, note: string): void
  /** Ends the bar with a closing line. */
  finish(note: string): void
}

interface Output {
  readonly isTTY?: boolean
  write(text: string): unknown
}

const WIDTH = 30
const REDRAW_MS = 100

const bar = (fraction: number): string => {
  const full = Math.round(fraction * WIDTH)
  return `[${"#".repeat(full)}${"-".repeat(WIDTH - full)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`
}

export const makeProgressBar = (label: string, out: Output = process.stderr): ProgressBar => {
  let drawnAt = 0
  let tenth = -1
  let open = false
  const update = (done: number, total: number, note: string) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1
    if (out.isTTY === true) {
      const now = Date.now()
      if (now - drawnAt < REDRAW_MS && fraction < 1) return
      drawnAt = now
      open = true
      out.write(`\r${label} ${bar(fraction)} ${note}\x1b[K`)
      return
    }
    const reached = Math.floor(fraction * 10)
    if (reached <= tenth) return
    tenth = reached
    out.write(`${label} ${reached * 10}% ${note}\n`)
  }
  const finish = (note: string) => {
    out.write(`${open ? "\r" : ""}${label} ${note}${open ? "\x1b[K" : ""}\n`)
    open = false
    tenth = -1
  }
  return { update, finish }
}
