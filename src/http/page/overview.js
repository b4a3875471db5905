// The overview table: the server's watch list (WATCHLIST) with last price, change and day volume.

import { describeError, getJson } from "./api.js"

const cell = (text, cls) => {
  const td = document.createElement("td")
  td.textContent = text
  if (cls) td.className = cls
  return td
}

const num = (x, digits = 2) => (x === null ? "–" : Number(x).toFixed(digits))

export async function loadOverview({ table, message, colors, onPick }) {
  try {
    const { rows } = await getJson("/api/overview")
    const body = table.querySelector("tbody")
    body.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement("tr")
        const change = r.change === null ? "" : `${r.change > 0 ? "+" : ""}${num(r.change)}`
        const pct = r.changePct === null ? "–" : `${r.changePct > 0 ? "+" : ""}${num(r.changePct)}%`
        tr.append(
          cell(r.symbol),
          cell(r.name ?? ""),
          cell(num(r.last), "num"),
          cell(change, "num"),
          cell(pct, "num"),
          cell(r.dayVol === null ? "–" : r.dayVol.toLocaleString(), "num"),
          cell(r.frame ?? "no bars yet"),
        )
        if (r.change) tr.style.color = r.change > 0 ? colors().up : colors().down
        tr.addEventListener("click", () => onPick(r.symbol))
        return tr
      }),
    )
    message.textContent = rows.length === 0 ? "the watch list is empty (WATCHLIST)" : ""
  } catch (e) {
    message.textContent = describeError(e)
  }
}
