// The realtime panel of the chosen symbol, fed by /api/stream: the first event is the quote as it is now,
// then one per new or revised 1m bar. EventSource reconnects by itself after a dropped connection.

import { openStream } from "./api.js"

const fmt = (x, digits = 2) => (x === null || x === undefined ? "–" : Number(x).toFixed(digits))
const sign = (x) => (x > 0 ? "+" : "")

export function renderQuote(panel, q, colors) {
  const dir = q.change === null ? "flat" : q.change > 0 ? "up" : q.change < 0 ? "down" : "flat"
  panel.dataset.frame = q.frame
  panel.querySelector(".rt-symbol").textContent = `${q.symbol} ${q.name ?? ""}`
  const last = panel.querySelector(".rt-last")
  last.textContent = fmt(q.close)
  last.style.color = dir === "up" ? colors.up : dir === "down" ? colors.down : ""
  panel.querySelector(".rt-change").textContent =
    q.change === null ? "–" : `${sign(q.change)}${fmt(q.change)}  ${sign(q.changePct)}${fmt(q.changePct)}%`
  panel.querySelector(".rt-vol").textContent = Number(q.dayVol).toLocaleString()
  panel.querySelector(".rt-time").textContent = q.frame
}

/** Follows one symbol; `onQuote` gets every quote, `onState` "live", "reconnecting" or "no live data". */
export function follow(symbol, { onQuote, onState }) {
  const source = openStream([symbol])
  source.addEventListener("open", () => onState("live"))
  source.addEventListener("bar", (e) => onQuote(JSON.parse(e.data)))
  source.addEventListener("error", () => {
    // A 4xx answer (unknown symbol, no token) closes the EventSource for good; a drop is retried.
    onState(source.readyState === EventSource.CLOSED ? "no live data" : "reconnecting")
  })
  return () => source.close()
}
