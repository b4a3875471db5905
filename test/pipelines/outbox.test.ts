import { appendFileSync, readdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Outbox } from "../../src/pipelines/outbox.ts"
import { segmentName } from "../../src/pipelines/outbox-files.ts"
import { OutboxReader } from "../../src/pipelines/outbox-reader.ts"
import { tempDir } from "../support/servers.ts"

const events = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: "bar",
    data: JSON.stringify({ n: from + i, name: "贵州茅台" }),
  }))

const readAll = async (outbox: Outbox, from: number, until: number) => {
  const reader = new OutboxReader(outbox)
  const out: number[] = []
  for (let seq = from; seq < until; ) {
    const batch = await reader.read(seq, Math.min(until, seq + 7))
    out.push(...batch.map((e) => JSON.parse(e.data).n as number))
    seq += batch.length
  }
  return out
}

describe("the outbox", () => {
  const root = tempDir("outbox")
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  let k = 0
  const dir = () => join(root, String(++k))

  it("numbers events consecutively and reads them back in order, across segment files", async () => {
    const ob = await Outbox.open(dir(), { emptyEnd: 0, segmentBytes: 300 })
    for (let i = 0; i < 10; i++) expect(await ob.append(events(i * 5, 5))).toBe(i * 5)
    expect(ob.end).toBe(50)
    expect(ob.segmentList().length).toBeGreaterThan(3)
    expect(await readAll(ob, 0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(await readAll(ob, 23, 31)).toEqual([23, 24, 25, 26, 27, 28, 29, 30])
    await ob.close()
  })

  it("a line torn by a crash mid-write is dropped at open, and numbering goes on from the last whole one", async () => {
    const d = dir()
    const ob = await Outbox.open(d, { emptyEnd: 0 })
    await ob.append(events(0, 3))
    await ob.close()
    appendFileSync(join(d, segmentName(0)), '3\tbar\t{"n":3,"na')
    const again = await Outbox.open(d, { emptyEnd: 0 })
    expect(again.end).toBe(3)
    await again.append(events(3, 2))
    expect(await readAll(again, 0, 5)).toEqual([0, 1, 2, 3, 4])
    await again.close()
  })

  it("truncateTo drops the events after a saved state's end (they were never sent)", async () => {
    const ob = await Outbox.open(dir(), { emptyEnd: 0, segmentBytes: 200 })
    await ob.append(events(0, 20))
    await ob.append(events(20, 20))
    await ob.truncateTo(13)
    expect(ob.end).toBe(13)
    expect(await ob.append(events(100, 2))).toBe(13)
    expect(await readAll(ob, 0, 15)).toEqual([...Array.from({ length: 13 }, (_, i) => i), 100, 101])
    await ob.close()
  })

  it("release deletes fully sent segments but never the tail, whose name keeps the numbering across restarts", async () => {
    const d = dir()
    const ob = await Outbox.open(d, { emptyEnd: 0, segmentBytes: 100 })
    for (let i = 0; i < 6; i++) await ob.append(events(i * 4, 4))
    await ob.append([])
    await ob.release(ob.end)
    expect(readdirSync(d)).toHaveLength(1)
    await ob.close()
    const again = await Outbox.open(d, { emptyEnd: 0 })
    expect(again.end).toBe(24)
    expect(again.start).toBeLessThanOrEqual(24)
    await again.close()
  })

  it("an empty outbox starts where the saved state says", async () => {
    const ob = await Outbox.open(dir(), { emptyEnd: 1234 })
    expect([ob.start, ob.end]).toEqual([1234, 1234])
    expect(await ob.append(events(0, 1))).toBe(1234)
    await ob.close()
  })
})
