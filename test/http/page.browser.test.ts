/**
 * The web page in Chromium (playwright-core driving /usr/bin/chromium, no browser download): a symbol's
 * chart is drawn, switching period changes the bars, a bar published during the test appears live.
 * Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type ServerType, serve } from "@hono/node-server"
import { Redacted } from "effect"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort } from "../../src/adapters/process/free-port.ts"
import { type ApiFixture, startApiFixture } from "./api-fixture.ts"

const CHROMIUM = "/usr/bin/chromium"
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts")
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]

const available = existsSync(CHROMIUM)
if (!available && process.env.CI === undefined)
  console.warn(
    `skipping the browser tests: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`,
  )

/** Pixels of the chart's canvas in the candle colors: a drawn chart has many. */
const coloredPixels = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const canvas = document.querySelector(`${sel} canvas`) as HTMLCanvasElement | null
    if (canvas === null) return 0
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]
      if (
        a > 0 &&
        (Math.abs(r - 0xd6) + Math.abs(g - 0x27) + Math.abs(b - 0x28) < 30 ||
          Math.abs(r - 0x2c) + Math.abs(g - 0xa0) + Math.abs(b - 0x2c) < 30)
      )
        n++
    }
    return n
  }, selector)

const barCount = (page: Page) => page.locator("#chart").getAttribute("data-bars").then(Number)

describe.skipIf(!available && process.env.CI === undefined)("the web page in Chromium", () => {
  let f: ApiFixture
  let server: ServerType
  let context: BrowserContext
  let page: Page
  let profile: string
  let url: string

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    f = await startApiFixture()
    const port = await freePort()
    server = serve({ fetch: f.app({ heartbeatMs: 1_000 }).fetch, hostname: "127.0.0.1", port })
    url = `http://127.0.0.1:${port}/`
    profile = mkdtempSync(join(tmpdir(), "minutebar-chromium-"))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 800 },
    })
    page = await context.newPage()
  })

  afterAll(async () => {
    await context?.close()
    server?.close()
    await f?.stop()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  it("loads, queries 000001.SZ and draws its candles", async () => {
    await page.goto(url)
    await page.fill("#symbol", "000001.SZ")
    await page.click("#query button[type=submit]")
    await expect.poll(() => barCount(page), { timeout: 10_000 }).toBe(2_400)
    await expect.poll(() => coloredPixels(page, "#chart"), { timeout: 5_000 }).toBeGreaterThan(500)
    expect(await coloredPixels(page, "#volume")).toBeGreaterThan(200)
    await page.locator("#chart").hover()
    await expect.poll(() => page.textContent("#readout")).toMatch(/2018-01-1\d \d\d:\d\d:00 +O [\d.]+ +H/)
    await expect
      .poll(() => page.textContent("#realtime .rt-last"))
      .toBe(f.seeded.pingan.at(-1)!.close.toFixed(2))
    await page.screenshot({ path: join(ARTIFACTS, "page-1m.png") })
  })

  it("switching the period shows that period's bars: fewer of them", async () => {
    await page.selectOption("#period", "5m")
    await expect.poll(() => barCount(page), { timeout: 10_000 }).toBe(480)
    await page.selectOption("#period", "1d")
    await expect.poll(() => barCount(page), { timeout: 10_000 }).toBe(10)
    await page.screenshot({ path: join(ARTIFACTS, "page-1d.png") })
    await page.selectOption("#period", "1m")
    await expect.poll(() => barCount(page), { timeout: 10_000 }).toBe(2_400)
  })

  it("a bar published during the test appears live in the chart and the realtime panel", async () => {
    const last = f.seeded.pingan.at(-1)!
    const next = {
      ...last,
      frame: "2018-01-16 09:31:00",
      open: 14,
      high: 14.5,
      low: 13.9,
      close: 14.42,
      vol: 777,
      rev: 0,
    }
    await f.publish([next])
    await expect.poll(() => page.textContent("#realtime .rt-last"), { timeout: 10_000 }).toBe("14.42")
    await expect.poll(() => barCount(page), { timeout: 10_000 }).toBe(2_401)
    expect(await page.textContent("#realtime .rt-vol")).toBe("777")
    await page.screenshot({ path: join(ARTIFACTS, "page-live.png") })
  })

  it("an unknown symbol, and the overview and clients tabs, say what they show", async () => {
    await page.fill("#symbol", "999999.SZ")
    await page.click("#query button[type=submit]")
    await expect
      .poll(() => page.textContent("#message"), { timeout: 5_000 })
      .toMatch(/unknown symbol: 999999\.SZ/)
    await page.screenshot({ path: join(ARTIFACTS, "page-unknown.png") })
    await page.fill("#symbol", "000001.SZ")
    await page.fill("#start", "2019-06-03")
    await page.fill("#end", "2019-06-04")
    await page.click("#query button[type=submit]")
    await expect
      .poll(() => page.textContent("#message"), { timeout: 5_000 })
      .toMatch(/no 1m bars for 000001\.SZ in that range/)
    expect(await barCount(page)).toBe(0)
    await page.click("nav button[data-tab=overview]")
    await expect.poll(() => page.locator("#overview tbody tr").count(), { timeout: 5_000 }).toBe(4)
    expect(await page.textContent("#overview tbody tr:first-child")).toContain("平安银行")
    await page.screenshot({ path: join(ARTIFACTS, "page-overview.png") })
    await page.click("nav button[data-tab=clients]")
    await expect.poll(() => page.textContent("#clients-message"), { timeout: 5_000 }).not.toBe("")
  })

  it("with API_TOKEN the page takes ?token= once, keeps it, and says so when it has none", async () => {
    const port = await freePort()
    const secured = serve({
      fetch: f.app({ access: { token: Redacted.make("s3cret") } }).fetch,
      hostname: "127.0.0.1",
      port,
    })
    try {
      const other = await context.newPage()
      await other.goto(`http://127.0.0.1:${port}/?token=s3cret`)
      await expect.poll(() => barCount(other), { timeout: 10_000 }).toBe(2_400)
      expect(other.url()).not.toContain("token")
      await other.evaluate(() => localStorage.removeItem("minutebar.token"))
      await other.reload()
      await expect.poll(() => other.textContent("#message"), { timeout: 5_000 }).toMatch(/needs a token/)
      await other.close()
    } finally {
      secured.close()
    }
  })
})
