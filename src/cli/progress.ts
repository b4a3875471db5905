/** A progress bar on stderr for long work: redrawn in place on a terminal, a line every few seconds otherwise. */

export const makeProgress = (label: string) => {
  const tty = process.stderr.isTTY === true
  const started = Date.now()
  let lastLine = 0
  return (done: number, total: number) => {
    const now = Date.now()
    const final = done >= total
    if (!tty && !final && now - lastLine < 5_000) return
    if (tty && !final && now - lastLine < 100) return
    lastLine = now
    const pct = total === 0 ? 100 : Math.min(100, (100 * done) / total)
    const width = 30
    const filled = Math.round((pct / 100) * width)
    const rate = done / Math.max(0.001, (now - started) / 1000)
    const line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct.toFixed(1)}% ${done}/${total} ${Math.round(rate)}/s`
    process.stderr.write(tty ? `\r${line}${final ? "\n" : ""}` : `${line}\n`)
  }
}
