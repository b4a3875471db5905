// Search as you type in the symbol box: codes by prefix, names by any part, from /api/symbols.

import { getJson } from "./api.js"

export function attachSearch(input, list) {
  let timer
  let asked = ""
  input.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const q = input.value.trim()
      if (q === "" || q === asked) return
      asked = q
      try {
        const { symbols } = await getJson("/api/symbols", { q, limit: 20 })
        list.replaceChildren(
          ...symbols.map((s) =>
            Object.assign(document.createElement("option"), { value: s.symbol, label: s.name ?? "" }),
          ),
        )
      } catch {
        list.replaceChildren()
      }
    }, 150)
  })
}
