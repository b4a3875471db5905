// The page: a chart of one symbol (search, period, range, live today), the overview table and the clients list.

import { describeError, getJson, setToken, takeTokenFromUrl, token } from "./api.js"
import { createChart } from "./chart.js"
import { loadClients } from "./clients.js"
import { follow, renderQuote } from "./live.js"
import { loadOverview } from "./overview.js"
import { attachSearch } from "./symbol-search.js"

const $ = (id) => document.getElementById(id)
const SYMBOL = /^\d{6}\.(SH|SZ|BJ)$/
const PALETTES = { cn: { up: "#d62728", down: "#2ca02c" }, us: { up: "#2ca02c", down: "#d62728" } }
// Without a start date: the newest bars of about two weeks, the last day or so of them in view.
const LIMIT = { "1m": 2400, "5m": 960, "30m": 400, "1d": 1000 }
const IN_VIEW = { "1m": 240, "5m": 240, "30m": 160, "1d": 250 }

takeTokenFromUrl()
const colors = () => PALETTES[$("colors").value] ?? PALETTES.cn
const chart = createChart({
  priceEl: $("chart"),
  volumeEl: $("volume"),
  readoutEl: $("readout"),
  onCount: (n) => {
    $("chart").dataset.bars = String(n)
  },
})
let shown = { symbol: "", period: "" }
let stopLive = () => {}
let tailTimer

/** A typed name or partial code becomes the best matching symbol. */
async function resolveSymbol(text) {
  const t = text.trim().toUpperCase()
  if (SYMBOL.test(t)) return t
  const { symbols } = await getJson("/api/symbols", { q: text.trim(), limit: 1 })
  if (symbols.length === 0) throw new Error(`no symbol matches "${text.trim()}"`)
  $("symbol").value = symbols[0].symbol
  return symbols[0].symbol
}

function barsQuery(symbol, period) {
  const start = $("start").value
  const end = $("end").value
  return { symbol, period, start, end, limit: start ? 100000 : LIMIT[period] }
}

async function load() {
  $("message").textContent = "loading..."
  try {
    const symbol = await resolveSymbol($("symbol").value)
    const period = $("period").value
    const body = await getJson("/api/bars", barsQuery(symbol, period))
    $("message").textContent = body.bars.length === 0 ? `no ${period} bars for ${symbol} in that range` : ""
    chart.setBars(body.bars, period, IN_VIEW[period])
    if (symbol !== shown.symbol) followLive(symbol)
    shown = { symbol, period }
  } catch (e) {
    $("message").textContent = e.code === undefined ? e.message : describeError(e)
    chart.setBars([], $("period").value)
    stopLive()
    shown = { symbol: "", period: "" }
  }
}

// Live bars apply to the chart only when it ends today or later (no end date, or one not yet past).
const followsLive = (frame) => !$("end").value || $("end").value >= frame.slice(0, 10)

function onQuote(q) {
  renderQuote($("realtime"), q, colors())
  if (q.symbol !== shown.symbol || !followsLive(q.frame)) return
  if (shown.period === "1m") chart.upsert(q)
  else {
    // Coarser bars are resampled by the projection: fetch the tail again, at most every few seconds.
    clearTimeout(tailTimer)
    tailTimer = setTimeout(refreshTail, 2000)
  }
}

async function refreshTail() {
  const last = chart.bars().at(-1)
  if (!last) return
  const { symbol, period } = shown
  const body = await getJson("/api/bars", { symbol, period, start: last.frame.slice(0, 10) }).catch(
    () => undefined,
  )
  for (const bar of body?.bars ?? [])
    if (shown.symbol === symbol && shown.period === period) chart.upsert(bar)
}

function followLive(symbol) {
  stopLive()
  $("realtime").querySelector(".rt-symbol").textContent = symbol
  $("realtime").querySelector(".rt-state").textContent = "connecting"
  stopLive = follow(symbol, {
    onQuote,
    onState: (s) => {
      $("realtime").querySelector(".rt-state").textContent = s
    },
  })
}

function showTab(name) {
  for (const b of document.querySelectorAll("nav button"))
    b.setAttribute("aria-pressed", String(b.dataset.tab === name))
  for (const s of document.querySelectorAll("section")) s.hidden = s.id !== `tab-${name}`
  if (name === "overview") refreshOverview()
  if (name === "clients") loadClients({ table: $("clients"), message: $("clients-message") })
  if (name === "chart") chart.resize()
}

function refreshOverview() {
  loadOverview({
    table: $("overview"),
    message: $("overview-message"),
    colors,
    onPick: (symbol) => {
      $("symbol").value = symbol
      showTab("chart")
      load()
    },
  })
}

$("query").addEventListener("submit", (e) => {
  e.preventDefault()
  load()
})
$("period").addEventListener("change", load)
$("colors").value = localStorage.getItem("minutebar.colors") ?? "cn"
$("colors").addEventListener("change", () => {
  localStorage.setItem("minutebar.colors", $("colors").value)
  chart.setColors(colors().up, colors().down)
})
chart.setColors(colors().up, colors().down)
$("zoom-in").addEventListener("click", () => chart.zoom(0.5))
$("zoom-out").addEventListener("click", () => chart.zoom(2))
$("pan-left").addEventListener("click", () => chart.pan(-0.25))
$("pan-right").addEventListener("click", () => chart.pan(0.25))
$("zoom-reset").addEventListener("click", () => chart.reset())
for (const b of document.querySelectorAll("nav button"))
  b.addEventListener("click", () => showTab(b.dataset.tab))
$("token").value = token()
$("token-form").addEventListener("submit", (e) => {
  e.preventDefault()
  setToken($("token").value.trim())
  shown = { symbol: "", period: "" }
  load()
})
window.addEventListener("resize", () => chart.resize())
setInterval(() => !$("tab-overview").hidden && refreshOverview(), 5000)
attachSearch($("symbol"), $("symbol-list"))
load()
