/** The web page and its assets, read once at start and served from memory: no CDN, works offline. */
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, extname, join } from "node:path"
import { Hono } from "hono"

const require = createRequire(import.meta.url)
const uplotDir = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"))
const pageDir = join(import.meta.dirname, "../page")

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
}

/** `/` is index.html; every other file of the page folder is `/assets/<name>`, and uPlot's two files. */
const assets = (): Array<{ path: string; file: string; type: string }> => [
  ...readdirSync(pageDir)
    .filter((name) => TYPES[extname(name)] !== undefined)
    .map((name) => ({
      path: name === "index.html" ? "/" : `/assets/${name}`,
      file: join(pageDir, name),
      type: TYPES[extname(name)]!,
    })),
  ...["uPlot.iife.min.js", "uPlot.min.css"].map((name) => ({
    path: `/assets/${name}`,
    file: join(uplotDir, name),
    type: TYPES[extname(name)]!,
  })),
]

export const pageRoute = () => {
  const app = new Hono()
  for (const asset of assets()) {
    const body = readFileSync(asset.file)
    app.get(asset.path, (c) => c.body(body, 200, { "content-type": asset.type, "cache-control": "no-cache" }))
  }
  return app
}
