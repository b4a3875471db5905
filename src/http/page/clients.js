// The clients page: the subscriber clients /api/clients lists, as a table of whatever fields they have.

import { describeError, getJson } from "./api.js"

const rowsOf = (body) => (Array.isArray(body) ? body : (Object.values(body).find(Array.isArray) ?? []))

const show = (v) =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)

export async function loadClients({ table, message }) {
  try {
    const rows = rowsOf(await getJson("/api/clients"))
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const head = document.createElement("tr")
    head.append(...columns.map((c) => Object.assign(document.createElement("th"), { textContent: c })))
    table.querySelector("thead").replaceChildren(head)
    table.querySelector("tbody").replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement("tr")
        tr.append(
          ...columns.map((c) => Object.assign(document.createElement("td"), { textContent: show(r[c]) })),
        )
        return tr
      }),
    )
    message.textContent = rows.length === 0 ? "no subscriber clients" : ""
  } catch (e) {
    message.textContent = e.code === "not_found" ? "this server has no clients endpoint" : describeError(e)
  }
}
