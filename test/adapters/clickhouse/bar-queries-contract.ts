/**
 * What every ClickHouse (chDB, a server) must answer for BarQueries over bar-queries-fixture.ts: one list of
 * named checks, turned into tests once per target by bar-queries.test.ts.
 */
import { Effect } from "effect"
import { expect } from "vitest"
import { BarQueries } from "../../../src/adapters/clickhouse/bar-queries.ts"
import { A, B } from "./bar-queries-fixture.ts"

export type Run = <X, E>(effect: Effect.Effect<X, E, BarQueries>) => Promise<X>

const utc = (iso: string) => Date.parse(`${iso}Z`)
const round = (xs: ArrayLike<number>) =>
  Array.from(xs, (x) => (Number.isNaN(x) ? x : Math.round(x * 1e6) / 1e6))
const day = (d: string) => ["09:31", "09:32", "09:33", "09:34", "09:35"].map((m) => `${d} ${m}:00`)

export const contract: ReadonlyArray<readonly [string, (run: Run) => Promise<void>]> = [
  [
    "a 1m range includes both ends, and each bar comes once at its highest rev",
    async (run) => {
      const bars = await run(
        BarQueries.use((q) => q.getBars(A, "1m", "2024-01-02 09:32", "2024-01-03 09:31:00")),
      )
      expect(bars.frame).toEqual([...day("2024-01-02").slice(1), "2024-01-03 09:31:00"])
      expect(round(bars.close)).toEqual([10, 10.5, 10, 10, 10])
      expect(round(bars.high)).toEqual([10.1, 10.6, 10.1, 10.1, 10.1])
      expect(bars.time[0]).toBe(utc("2024-01-02T01:32:00"))
      expect(bars.vol).toBeInstanceOf(Float64Array)
      const all = await run(BarQueries.use((q) => q.getBars(A, "1m", "2024-01-02", "2024-01-04")))
      expect(all.frame).toEqual([...day("2024-01-02"), ...day("2024-01-03"), ...day("2024-01-04")])
    },
  ],
  [
    "5m and 30m ranges read their own tables",
    async (run) => {
      const five = await run(BarQueries.use((q) => q.getBars(A, "5m", "2024-01-03", "2024-01-04")))
      expect(five.frame).toEqual(["2024-01-03 09:35:00", "2024-01-04 09:35:00"])
      expect(round(five.close)).toEqual([10, 5])
      const thirty = await run(
        BarQueries.use((q) => q.getBars(A, "30m", "2024-01-02 10:00", "2024-01-02 10:30")),
      )
      expect(thirty.frame).toEqual(["2024-01-02 10:00:00", "2024-01-02 10:30:00"])
    },
  ],
  [
    "daily bars carry the day's reference data, NaN where none is known, and end at the 15:00 close",
    async (run) => {
      const d = await run(BarQueries.use((q) => q.getDaily(A, "2024-01-02", "2024-01-04 15:00")))
      expect(d.frame).toEqual(["2024-01-02", "2024-01-03", "2024-01-04"])
      expect(d.time[0]).toBe(utc("2024-01-02T07:00:00"))
      expect([...d.st]).toEqual([0, 1, 0])
      expect(round(d.adjust)).toEqual([1, 1, 2])
      expect(round(d.limitUp)).toEqual([Number.NaN, 11, 5.5])
      expect(round(d.preClose)).toEqual([Number.NaN, 10, 5])
      const viaBars = await run(BarQueries.use((q) => q.getBars(A, "1d", "2024-01-03", "2024-01-03")))
      expect(viaBars.frame).toEqual(["2024-01-03"])
    },
  ],
  [
    "back adjustment multiplies by the day's factor, front divides by the latest: no jump at the bonus issue",
    async (run) => {
      const read = (adjust: "front" | "back") =>
        run(BarQueries.use((q) => q.getBars(A, "1m", "2024-01-03 09:35", "2024-01-04 09:31", { adjust })))
      const back = await read("back")
      expect(round(back.close)).toEqual([10, 10])
      const front = await read("front")
      expect(round(front.close)).toEqual([5, 5])
      expect(round(front.open)).toEqual([5, 5])
      expect(round(front.vol)).toEqual([100, 100])
      expect(front.adjustment).toBe("front")
      const daily = await run(
        BarQueries.use((q) => q.getDaily(A, "2024-01-02", "2024-01-04", { adjust: "front" })),
      )
      expect(round(daily.close)).toEqual([5, 5, 5])
      expect(round(daily.limitUp)).toEqual([Number.NaN, 5.5, 5.5])
      const five = await run(
        BarQueries.use((q) => q.getBars(A, "5m", "2024-01-02", "2024-01-04", { adjust: "back" })),
      )
      expect(round(five.close)).toEqual([10, 10, 10])
    },
  ],
  [
    "a limit takes the oldest bars, or with newest the newest, both returned oldest first",
    async (run) => {
      const oldest = await run(
        BarQueries.use((q) => q.getBars(A, "1m", "2024-01-02", "2024-01-04", { limit: 2 })),
      )
      expect(oldest.frame).toEqual(day("2024-01-02").slice(0, 2))
      const newest = await run(
        BarQueries.use((q) => q.getBars(A, "1m", "2024-01-02", "2024-01-04", { limit: 2, newest: true })),
      )
      expect(newest.frame).toEqual(day("2024-01-04").slice(3))
      expect(round(newest.close)).toEqual([5, 5])
      expect(newest.time[0]! < newest.time[1]!).toBe(true)
    },
  ],
  [
    "the latest bar of each symbol that has one, in symbol order",
    async (run) => {
      const latest = await run(BarQueries.use((q) => q.getLatest([B, A, "000002.SZ"])))
      expect(latest.symbol).toEqual([A, B])
      expect(latest.frame).toEqual(["2024-01-04 09:35:00", "2024-01-05 10:00:00"])
      expect(round(latest.close)).toEqual([5, 8])
      const daily = await run(BarQueries.use((q) => q.getLatest([A], { period: "1d" })))
      expect(daily.frame).toEqual(["2024-01-04"])
      const none = await run(BarQueries.use((q) => q.getLatest([])))
      expect(none.symbol).toEqual([])
    },
  ],
  [
    "an empty range gives empty columns; a bad range names its parameter",
    async (run) => {
      const empty = await run(BarQueries.use((q) => q.getBars(A, "1m", "2023-01-01", "2023-01-02")))
      expect(empty.frame).toEqual([])
      expect(empty.close.length).toBe(0)
      const bad = (start: string, end: string) =>
        run(BarQueries.use((q) => Effect.result(q.getBars(A, "1m", start, end))))
      expect(await bad("2024-01-04", "2024-01-02")).toMatchObject({ failure: { param: "start" } })
      expect(await bad("2024-13-01", "2024-01-02")).toMatchObject({ failure: { param: "start" } })
      expect(await bad("2024-01-01", "tomorrow")).toMatchObject({ failure: { param: "end" } })
    },
  ],
]
