// The candlestick chart: a price pane and a volume pane (two uPlot instances sharing the x range and cursor),
// x being the bar's index so nights and the lunch break leave no gaps. Zoom by dragging or the wheel, pan with
// shift+wheel or the buttons, double-click resets.

/* global uPlot */

const hidden = { paths: () => null, points: { show: false } }

function visibleRange(u, n) {
  const min = Math.max(0, Math.ceil(u.scales.x.min ?? 0))
  const max = Math.min(n - 1, Math.floor(u.scales.x.max ?? n - 1))
  return [min, max]
}

const compact = new Intl.NumberFormat("en", { notation: "compact" })

function label(frame, period) {
  return period === "1d" ? frame : `${frame.slice(5, 10)} ${frame.slice(11, 16)}`
}

export function createChart({ priceEl, volumeEl, readoutEl, onCount }) {
  let bars = []
  let period = "1m"
  let colors = { up: "#d62728", down: "#2ca02c" }
  let price
  let volume
  let syncing = false

  const color = (i) => (bars[i].close >= bars[i].open ? colors.up : colors.down)

  function drawCandles(u) {
    const n = bars.length
    if (n === 0) return
    const ctx = u.ctx
    const step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true))
    const w = Math.max(1, Math.min(14 * devicePixelRatio, step * 0.7))
    const [i0, i1] = visibleRange(u, n)
    ctx.save()
    ctx.lineWidth = Math.max(1, devicePixelRatio)
    for (let i = i0; i <= i1; i++) {
      const b = bars[i]
      const x = Math.round(u.valToPos(i, "x", true))
      ctx.fillStyle = ctx.strokeStyle = color(i)
      ctx.beginPath()
      ctx.moveTo(x, u.valToPos(b.high, "y", true))
      ctx.lineTo(x, u.valToPos(b.low, "y", true))
      ctx.stroke()
      const top = u.valToPos(Math.max(b.open, b.close), "y", true)
      const bottom = u.valToPos(Math.min(b.open, b.close), "y", true)
      ctx.fillRect(x - w / 2, top, w, Math.max(1, bottom - top))
    }
    ctx.restore()
  }

  function drawVolume(u) {
    const n = bars.length
    if (n === 0) return
    const ctx = u.ctx
    const step = Math.abs(u.valToPos(1, "x", true) - u.valToPos(0, "x", true))
    const w = Math.max(1, Math.min(14 * devicePixelRatio, step * 0.7))
    const [i0, i1] = visibleRange(u, n)
    const zero = u.valToPos(0, "y", true)
    ctx.save()
    for (let i = i0; i <= i1; i++) {
      const x = Math.round(u.valToPos(i, "x", true))
      const y = u.valToPos(bars[i].vol, "y", true)
      ctx.fillStyle = color(i)
      ctx.fillRect(x - w / 2, y, w, Math.max(1, zero - y))
    }
    ctx.restore()
  }

  // The y axes fit the bars in view, so zooming into a quiet hour shows its moves.
  function priceRange(u) {
    const [i0, i1] = visibleRange(u, bars.length)
    let lo = Infinity
    let hi = -Infinity
    for (let i = i0; i <= i1; i++) {
      lo = Math.min(lo, bars[i].low)
      hi = Math.max(hi, bars[i].high)
    }
    if (!Number.isFinite(lo)) return [0, 1]
    const pad = (hi - lo) * 0.05 || hi * 0.01 || 1
    return [lo - pad, hi + pad]
  }

  // An empty or one-bar range would leave uPlot splitting a zero-width axis (it hangs the page).
  function xRange(_u, min, max) {
    const lo = min ?? -0.5
    const hi = max ?? bars.length - 0.5
    return hi - lo >= 1 ? [lo, hi] : [lo, lo + 1]
  }

  function volumeRange(u) {
    const [i0, i1] = visibleRange(u, bars.length)
    let hi = 0
    for (let i = i0; i <= i1; i++) hi = Math.max(hi, bars[i].vol)
    return [0, hi * 1.05 || 1]
  }

  function showReadout(i) {
    const b = bars[i ?? bars.length - 1]
    readoutEl.textContent = b
      ? `${b.frame}  O ${b.open}  H ${b.high}  L ${b.low}  C ${b.close}  V ${b.vol.toLocaleString()}`
      : ""
  }

  const axisValues = (_u, splits) =>
    splits.map((v) => (Number.isInteger(v) && bars[v] ? label(bars[v].frame, period) : ""))

  function options(kind, width, height) {
    const isPrice = kind === "price"
    return {
      width,
      height,
      scales: {
        x: { time: false, range: xRange },
        y: { range: isPrice ? priceRange : volumeRange },
      },
      series: isPrice
        ? [{}, { label: "high", ...hidden }, { label: "low", ...hidden }]
        : [{}, { label: "vol", ...hidden }],
      axes: [
        { values: axisValues, space: 90, show: !isPrice },
        { size: 70, values: (_u, splits) => splits.map((v) => (isPrice ? v : compact.format(v))) },
      ],
      // The same fixed padding on both panes keeps their x positions aligned (auto padding differs by axis).
      padding: [8, 20, 0, 0],
      legend: { show: false },
      cursor: { sync: { key: "minutebar" }, drag: { x: true, y: false }, points: { show: false } },
      hooks: {
        draw: [isPrice ? drawCandles : drawVolume],
        setCursor: [(u) => showReadout(u.cursor.idx)],
        setScale: [(u, key) => key === "x" && follow(u)],
      },
    }
  }

  // A zoom in one pane is applied to the other.
  function follow(u) {
    if (syncing || !price || !volume) return
    syncing = true
    const other = u === price ? volume : price
    other.setScale("x", { min: u.scales.x.min, max: u.scales.x.max })
    syncing = false
  }

  const dataOf = (kind) => {
    const x = bars.map((_b, i) => i)
    return kind === "price"
      ? [x, bars.map((b) => b.high), bars.map((b) => b.low)]
      : [x, bars.map((b) => b.vol)]
  }

  function build() {
    price?.destroy()
    volume?.destroy()
    const width = Math.max(320, priceEl.clientWidth || window.innerWidth - 40)
    const height = Math.max(240, Math.round(window.innerHeight * 0.55))
    price = new uPlot(options("price", width, height), dataOf("price"), priceEl)
    volume = new uPlot(options("volume", width, 130), dataOf("volume"), volumeEl)
    for (const u of [price, volume]) {
      u.over.addEventListener("wheel", (e) => onWheel(u, e), { passive: false })
      u.over.addEventListener("mouseleave", () => showReadout())
    }
  }

  function setWindow(min, max) {
    const n = bars.length
    const span = Math.max(5, Math.min(n + 1, max - min))
    const lo = Math.max(-0.5, Math.min(min, n - 0.5 - span))
    price.setScale("x", { min: lo, max: lo + span })
  }

  function onWheel(u, e) {
    e.preventDefault()
    const { min, max } = u.scales.x
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      const d = ((e.shiftKey ? e.deltaY : e.deltaX) > 0 ? 0.1 : -0.1) * (max - min)
      return setWindow(min + d, max + d)
    }
    const at = u.posToVal(e.offsetX, "x")
    const f = e.deltaY < 0 ? 0.8 : 1.25
    setWindow(at - (at - min) * f, at + (max - at) * f)
  }

  function refresh(keepWindow) {
    const { min, max } = price.scales.x
    price.setData(dataOf("price"), !keepWindow)
    volume.setData(dataOf("volume"), !keepWindow)
    if (keepWindow) setWindow(min, max)
    onCount?.(bars.length)
    showReadout()
  }

  return {
    /** Shows these bars, the newest `initial` of them in view. */
    setBars(next, nextPeriod, initial = 240) {
      bars = next
      period = nextPeriod
      build()
      onCount?.(bars.length)
      setWindow(Math.max(-0.5, bars.length - initial - 0.5), bars.length - 0.5)
      showReadout()
    },
    /** A live bar: replaces the bar of its frame or, when newer, is appended (the view follows the end). */
    upsert(bar) {
      const last = bars[bars.length - 1]
      if (!price || !last || bar.frame < last.frame) return false
      const atEnd = (price.scales.x.max ?? 0) >= bars.length - 1.5
      if (bar.frame === last.frame) bars[bars.length - 1] = bar
      else bars.push(bar)
      refresh(true)
      if (atEnd) {
        // Following the end: a view of everything grows, a zoomed view slides.
        const { min, max } = price.scales.x
        setWindow(min <= -0.5 ? -0.5 : min + (bars.length - 0.5 - max), bars.length - 0.5)
      }
      return true
    },
    setColors(up, down) {
      colors = { up, down }
      price?.redraw(false)
      volume?.redraw(false)
    },
    zoom(f) {
      const { min, max } = price.scales.x
      const mid = (min + max) / 2
      setWindow(mid - (mid - min) * f, mid + (max - mid) * f)
    },
    pan(f) {
      const { min, max } = price.scales.x
      setWindow(min + f * (max - min), max + f * (max - min))
    },
    reset() {
      setWindow(-0.5, bars.length - 0.5)
    },
    resize() {
      if (!price) return
      const width = Math.max(320, priceEl.clientWidth)
      price.setSize({ width, height: price.height })
      volume.setSize({ width, height: volume.height })
    },
    bars: () => bars,
  }
}
