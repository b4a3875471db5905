import { describe, expect, it } from "vitest"
import type { BarClosed } from "../../src/domain/bar.ts"
import { barsFromTicks } from "../../src/domain/bars-from-ticks.ts"
import { makeMinuteBarBuilder } from "../../src/domain/minute-bar-builder.ts"
import type { Tick } from "../../src/domain/tick.ts"
import { at, DAY, latest, MOUTAI_TICKS, readTicks, tickFeed } from "./fixtures.ts"

const frames = (bars: ReadonlyArray<BarClosed>) => bars.map((b) => `${b.frame.slice(11, 16)} r${b.rev}`)

describe("closing bars on the exchange clock", () => {
  it("a bar closes at its end + grace (3 s by default), not before", () => {
    const b = makeMinuteBarBuilder()
    b.onTick(tickFeed().trade("09:30:05", 10))
    expect(b.onClock(at("09:31:02.999"))).toEqual([])
    const [bar] = b.onClock(at("09:31:03"))
    expect(bar).toMatchObject({ frame: `${DAY} 09:31:00`, period: "1m", rev: 0, vol: 100, close: 10 })
  })

  it("the grace period is configurable", () => {
    const b = makeMinuteBarBuilder({ graceMs: 500 })
    b.onTick(tickFeed().trade("09:30:05", 10))
    expect(frames(b.onClock(at("09:31:00.500")))).toEqual(["09:31 r0"])
  })

  it("the 11:30 and 15:00 bars close on time although no next tick comes", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    b.onTick(f.trade("11:29:40", 10))
    b.onClock(at("11:29:03"))
    expect(frames(b.onClock(at("11:30:03")))).toEqual(["11:30 r0"])
    expect(b.onClock(at("12:59:00"))).toEqual([])
    b.onTick(f.trade("14:59:50", 10))
    b.onClock(at("14:59:03"))
    expect(frames(b.onClock(at("15:00:03")))).toEqual(["15:00 r0"])
  })

  it("minutes without ticks still produce their flat bars on time", () => {
    const b = makeMinuteBarBuilder()
    b.onTick(tickFeed().trade("09:30:05", 10))
    const bars = b.onClock(at("09:35:03"))
    expect(frames(bars)).toEqual(["09:31 r0", "09:32 r0", "09:33 r0", "09:34 r0", "09:35 r0"])
    expect(bars.slice(1).every((x) => x.vol === 0 && x.open === 10 && x.close === 10)).toBe(true)
  })

  it("a symbol that has not traded holds its bars; its first trade releases them, flat at lastClose", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed("600000.SH", 9.5)
    b.onTick(f.quiet("09:25:00"))
    expect(b.onClock(at("09:40:03"))).toEqual([])
    const released = b.onTick(f.trade("09:40:10", 10)).bars
    expect(released).toHaveLength(10)
    expect([frames(released)[0], frames(released)[9]]).toEqual(["09:31 r0", "09:40 r0"])
    expect(released.every((x) => x.vol === 0 && x.open === 9.5 && x.rev === 0)).toBe(true)
    expect(frames(b.onClock(at("09:41:03")))).toEqual(["09:41 r0"])
  })

  it("a first trade that arrives after its minute closed is in the released bars, at rev 0", () => {
    const b = makeMinuteBarBuilder()
    b.onClock(at("09:33:03"))
    const released = b.onTick(tickFeed().trade("09:32:59", 10)).bars
    expect(frames(released)).toEqual(["09:31 r0", "09:32 r0", "09:33 r0"])
    expect(released[2]).toMatchObject({ vol: 100, close: 10 })
  })
})

describe("late ticks", () => {
  it("a tick that arrives after its bar closed yields the bar again with rev 1", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    b.onTick(f.trade("09:30:05", 10))
    b.onClock(at("09:31:03"))
    const { bars } = b.onTick(f.trade("09:30:58", 10.5, 300))
    expect(bars).toHaveLength(1)
    expect(bars[0]).toMatchObject({ frame: `${DAY} 09:31:00`, rev: 1, vol: 400, high: 10.5, close: 10.5 })
  })

  it("a late tick in a flat bar also revises the flat bars after it whose close moved", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    b.onTick(f.trade("09:30:05", 10))
    b.onClock(at("09:34:03"))
    const { bars } = b.onTick(f.trade("09:32:30", 11))
    expect(frames(bars)).toEqual(["09:33 r1", "09:34 r1"])
    expect(bars[1]).toMatchObject({ vol: 0, open: 11, close: 11 })
  })

  it("a late repeat of the last snapshot changes nothing and yields nothing", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    b.onTick(f.trade("09:30:05", 10))
    b.onClock(at("09:31:03"))
    expect(b.onTick(f.quiet("09:30:59"))).toEqual({ bars: [] })
  })

  it("streamed bars, keeping the highest rev, equal the batch bars", () => {
    const ticks = readTicks(MOUTAI_TICKS)
    const b = makeMinuteBarBuilder()
    const out: BarClosed[] = []
    // Every tick arrives 4 s late, so the ones in the last seconds of a minute revise a closed bar.
    for (const t of ticks) {
      out.push(...b.onClock(t.time + 4000))
      out.push(...b.onTick(t).bars)
    }
    out.push(...b.onClock(at("15:10:00")))
    expect(out.some((x) => x.rev > 0)).toBe(true)
    expect(latest(out)).toEqual(barsFromTicks(ticks))
  })
})

describe("rejections and trading days", () => {
  it("a tick whose cumulative volume or amount falls is rejected and leaves the state unchanged", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    const t = f.trade("09:30:05", 10, 500)
    b.onTick(t)
    expect(b.onTick({ ...t, pvolume: 400 }).rejected).toBe("cumulative volume fell from 500 to 400 shares")
    expect(b.onTick({ ...t, amount: 1 }).rejected).toBe("cumulative amount fell from 5000 to 1 yuan")
    expect(b.flushDay()[0]).toMatchObject({ vol: 500, amount: 5000 })
  })

  it("a new trading day resets the symbol and finishes its previous day", () => {
    const b = makeMinuteBarBuilder()
    const f = tickFeed()
    b.onTick(f.trade("09:30:05", 10, 5000))
    f.newDay(10)
    const { bars } = b.onTick(f.trade("09:30:05", 11, 100, {}, "2023-02-02"))
    expect(bars).toHaveLength(240)
    expect(b.flushDay()[0]).toMatchObject({ frame: "2023-02-02 09:31:00", vol: 100, open: 11 })
  })

  it("a tick of an earlier day than the symbol's is rejected", () => {
    const b = makeMinuteBarBuilder()
    const t: Tick = tickFeed().trade("09:30:05", 10, 100, {}, "2023-02-02")
    b.onTick(t)
    expect(b.onTick({ ...t, time: at("14:00:00", "2023-02-01") }).rejected).toBe(
      "tick of 2023-02-01 after ticks of 2023-02-02",
    )
  })
})
