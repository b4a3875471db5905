import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import { DayBook } from "../../src/pipelines/day-book.ts"
import { putLogBar } from "../../src/pipelines/day-from-log.ts"
import { makeProgressBar } from "../../src/pipelines/progress-bar.ts"

const DAY = "2024-01-02"
const encode = (b: object) => new TextEncoder().encode(JSON.stringify(b))

const bar = (symbol: string, time: string, close: number, rev = 0): BarClosed =>
  ({
    symbol,
    frame: `${DAY} ${time}`,
    open: close,
    high: close + 0.1,
    low: close - 0.1,
    close,
    vol: 100,
    amount: 100 * close,
    period: "1m",
    rev,
  }) as BarClosed

const put = (book: DayBook, ...bars: object[]) => bars.map((b) => putLogBar(book, encode(b)))
const all = (book: DayBook, period: "1m" | "5m" = "1m") => [...book.groups(period)].flatMap((g) => g.bars)

describe("a day book keeps the last revision of every minute and gives the day back in market order", () => {
  it("a revision wins whatever order it arrives in; a duplicate or an older revision changes nothing", () => {
    const [first, revised] = [bar("000001.SZ", "09:31:00", 10), bar("000001.SZ", "09:31:00", 10.5, 1)]
    for (const order of [
      [first, revised],
      [revised, first],
      [first, revised, first, revised],
    ]) {
      const book = new DayBook(DAY)
      put(book, ...order)
      expect(all(book)).toEqual([revised])
      expect(book.size).toBe(1)
    }
  })

  it("frame by frame, symbols sorted within a frame; the lunch break is not a frame", () => {
    const book = new DayBook(DAY)
    put(
      book,
      bar("600000.SH", "13:01:00", 8),
      bar("000001.SZ", "11:30:00", 10),
      bar("000001.SZ", "13:01:00", 11),
    )
    put(book, bar("300750.SZ", "13:01:00", 200))
    const groups = [...book.groups("1m")]
    expect(groups.map((g) => [g.slot, g.frame, g.bars.map((b) => b.symbol)])).toEqual([
      [119, `${DAY} 11:30:00`, ["000001.SZ"]],
      [120, `${DAY} 13:01:00`, ["000001.SZ", "300750.SZ", "600000.SH"]],
    ])
  })

  it("a 5m bucket aggregates its minutes by the domain rule and its rev counts them with their revisions", () => {
    const book = new DayBook(DAY)
    put(
      book,
      bar("000001.SZ", "09:31:00", 10),
      bar("000001.SZ", "09:33:00", 12),
      bar("000001.SZ", "09:33:00", 11, 2),
    )
    expect(all(book, "5m")).toEqual([
      {
        symbol: "000001.SZ",
        frame: `${DAY} 09:35:00`,
        open: 10,
        high: 11.1,
        low: 9.9,
        close: 11,
        vol: 200,
        amount: 2100,
        period: "5m",
        rev: 1 + 3,
      },
    ])
  })

  it("log messages of earlier days are passed over, a later day's ends the read, malformed ones are counted", () => {
    const book = new DayBook(DAY)
    expect(
      put(
        book,
        { ...bar("000001.SZ", "09:31:00", 10), frame: "2024-01-01 15:00:00" },
        bar("000001.SZ", "09:31:00", 10),
        { ...bar("000001.SZ", "09:31:00", 10), frame: `${DAY} 12:00:00` },
        { ...bar("000001.SZ", "09:32:00", 10), close: "10" },
        { ...bar("000001.SZ", "09:32:00", 10), period: "5m" },
        { ...bar("000001.SZ", "09:31:00", 10), frame: "2024-01-03 09:31:00" },
      ),
    ).toEqual(["earlier", "taken", "bad", "bad", "bad", "later"])
    expect(putLogBar(book, new TextEncoder().encode("{not json"))).toBe("bad")
    expect(book.size).toBe(1)
  })

  it("grows past its first capacity without losing a bar", () => {
    const book = new DayBook(DAY)
    for (let s = 0; s < 300; s++) put(book, bar(`${String(600000 + s)}.SH`, "09:31:00", 10 + s / 100))
    expect(all(book).map((b) => b.close)).toEqual(Array.from({ length: 300 }, (_, s) => 10 + s / 100))
  })
})

describe("progress on stderr", () => {
  it("off a terminal: a line at 0%, each tenth and 100%, then the closing line", () => {
    const lines: string[] = []
    const p = makeProgressBar("replaying", { isTTY: false, write: (t) => lines.push(t) })
    for (let i = 1; i <= 240; i++) p.update(i, 240, `frame ${i}`)
    p.finish("done")
    expect(lines).toHaveLength(12)
    expect(lines[0]).toBe("replaying 0% frame 1\n")
    expect(lines.at(-2)).toBe("replaying 100% frame 240\n")
    expect(lines.at(-1)).toBe("replaying done\n")
  })

  it("on a terminal: one line redrawn in place", () => {
    const out: string[] = []
    const p = makeProgressBar("reading", { isTTY: true, write: (t) => out.push(t) })
    p.update(1, 2, "half")
    p.update(2, 2, "all")
    p.finish("read")
    expect(out.every((t) => t.startsWith("\r"))).toBe(true)
    expect(out.join("")).not.toMatch(/\n.*\n/)
  })
})
