/** The web page and its assets, read once at start and served from memory: no CDN, works offline. */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { Hono } from "hono"

const require = createRequire(import.meta.url)
const uplotDir = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"))
const pageDir = join(import.meta.dirname, "../page")

const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: join(pageDir, "index.html"), type: "text/html; charset=utf-8" },
  "/assets/app.js": { file: join(pageDir, "app.js"), type: "text/javascript; charset=utf-8" },
  "/assets/app.css": { file: join(pageDir, "app.css"), type: "text/css; charset=utf-8" },
  "/assets/uPlot.iife.min.js": {
    file: join(uplotDir, "uPlot.iife.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "/assets/uPlot.min.css": { file: join(uplotDir, "uPlot.min.css"), type: "text/css; charset=utf-8" },
}

export const pageRoute = () => {
  const app = new Hono()
  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(asset.file)
    app.get(path, (c) => c.body(body, 200, { "content-type": asset.type, "cache-control": "no-cache" }))
  }
  return app
}
