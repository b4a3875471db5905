// The chart page: asks /api/bars and draws candles (red up, green down, the A-share convention) with volume.

const UP = "#d62728"
const DOWN = "#2ca02c"
const $ = (id) => document.getElementById(id)

// uPlot has no candlestick series: this plugin draws candles and volume bars in its draw hook.
function candles(vol) {
  return {
    hooks: {
      draw: (u) => {
        const [t, o, h, l, c] = u.data
        const ctx = u.ctx
        const n = t.length
        if (n === 0) return
        const w = Math.max(1, Math.min(12, (u.bbox.width / n) * 0.7))
        const vMax = Math.max(1, ...vol)
        ctx.save()
        for (let i = 0; i < n; i++) {
          const x = u.valToPos(t[i], "x", true)
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue
          ctx.fillStyle = ctx.strokeStyle = c[i] >= o[i] ? UP : DOWN
          ctx.beginPath()
          ctx.moveTo(x, u.valToPos(h[i], "y", true))
          ctx.lineTo(x, u.valToPos(l[i], "y", true))
          ctx.stroke()
          const top = u.valToPos(Math.max(o[i], c[i]), "y", true)
          const bottom = u.valToPos(Math.min(o[i], c[i]), "y", true)
          ctx.fillRect(x - w / 2, top, w, Math.max(1, bottom - top))
          const vh = (vol[i] / vMax) * u.bbox.height * 0.2
          ctx.globalAlpha = 0.35
          ctx.fillRect(x - w / 2, u.bbox.top + u.bbox.height - vh, w, vh)
          ctx.globalAlpha = 1
        }
        ctx.restore()
      },
    },
  }
}

let plot
function draw(bars) {
  const t = bars.map(
    (b) =>
      Date.parse(`${b.frame.length === 10 ? `${b.frame}T15:00:00` : b.frame.replace(" ", "T")}+08:00`) / 1000,
  )
  const data = [
    t,
    bars.map((b) => b.open),
    bars.map((b) => b.high),
    bars.map((b) => b.low),
    bars.map((b) => b.close),
  ]
  const vol = bars.map((b) => b.vol)
  plot?.destroy()
  const hidden = { show: false, points: { show: false } }
  plot = new uPlot(
    {
      width: Math.max(400, window.innerWidth - 40),
      height: Math.max(300, window.innerHeight - 140),
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => [min - (max - min) * 0.3, max + (max - min) * 0.05] },
      },
      series: [
        {},
        { label: "open", ...hidden },
        { label: "high", ...hidden },
        { label: "low", ...hidden },
        { label: "close", ...hidden },
      ],
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      plugins: [candles(vol)],
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx
            if (i == null) return
            const b = bars[i]
            $("readout").textContent =
              `${b.frame}  O ${b.open}  H ${b.high}  L ${b.low}  C ${b.close}  V ${b.vol}`
          },
        ],
      },
    },
    data,
    $("chart"),
  )
}

async function load() {
  const p = new URLSearchParams({ symbol: $("symbol").value.trim(), period: $("period").value })
  if ($("start").value) p.set("start", $("start").value)
  if ($("end").value) p.set("end", $("end").value)
  $("message").textContent = "loading..."
  try {
    const res = await fetch(`/api/bars?${p}`)
    const body = await res.json()
    if (!res.ok) {
      $("message").textContent = body.error?.message ?? `server answered ${res.status}`
      return
    }
    $("message").textContent =
      body.bars.length === 0 ? `no ${body.period} bars for ${body.symbol} in that range` : ""
    draw(body.bars)
  } catch (e) {
    $("message").textContent = `cannot reach the server: ${e.message}`
  }
}

$("query").addEventListener("submit", (e) => {
  e.preventDefault()
  load()
})
$("period").addEventListener("change", load)
load()
