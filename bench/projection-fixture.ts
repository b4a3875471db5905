/**
 * Data for the projection benchmark: a morning of 1m bars for many symbols as log messages (minute by minute,
 * as the live market sends them), and one symbol's year of 1m and 5m bars with a few dividend factors.
 */
import { barRow } from "../src/adapters/clickhouse/bar-store.ts"
import type { Bar, BarClosed } from "../src/domain/bar.ts"
import { barMessageId, barSubject } from "../src/domain/market-event.ts"
import { resample } from "../src/domain/resample.ts"
import { SLOT_LABELS } from "../src/domain/session-grid.ts"
import type { SymbolCode } from "../src/domain/symbol.ts"

const encoder = new TextEncoder()
const round2 = (x: number) => Math.round(x * 100) / 100

// A fixed LCG: every run publishes the same bars.
const random = (seed: number) => {
  let s = seed
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31
    return s / 2 ** 31
  }
}

export const symbolsOf = (n: number): SymbolCode[] =>
  Array.from(
    { length: n },
    (_, i) => (i % 2 === 0 ? `${600000 + i}.SH` : `${String(1 + i).padStart(6, "0")}.SZ`) as SymbolCode,
  )

const barAt = (symbol: SymbolCode, frame: string, price: number, next: () => number): BarClosed => {
  const close = round2(price * (1 + (next() - 0.5) * 0.004))
  const vol = 100 * Math.ceil(next() * 50)
  return {
    symbol,
    frame,
    open: round2(price),
    high: round2(Math.max(price, close) * 1.001),
    low: round2(Math.min(price, close) * 0.999),
    close,
    vol,
    amount: round2(vol * (price + close) * 0.5),
    period: "1m",
    rev: 0,
  }
}

/** `minutes` 1m bars of every symbol on `day`, minute-major, as the log's messages. */
export const morningMessages = (symbols: ReadonlyArray<SymbolCode>, day: string, minutes: number) => {
  const next = random(7)
  const price = symbols.map(() => 5 + next() * 50)
  const messages: Array<{ subject: string; id: string; data: Uint8Array }> = []
  for (let m = 0; m < minutes; m++)
    symbols.forEach((symbol, s) => {
      const bar = barAt(symbol, `${day} ${SLOT_LABELS[m]}`, price[s]!, next)
      price[s] = bar.close
      messages.push({
        subject: barSubject(bar),
        id: barMessageId(bar),
        data: encoder.encode(JSON.stringify(bar)),
      })
    })
  return messages
}

const tradingDays = (from: string, n: number): string[] => {
  const days: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); days.length < n; t += 86_400_000) {
    const weekday = new Date(t).getUTCDay()
    if (weekday !== 0 && weekday !== 6) days.push(new Date(t).toISOString().slice(0, 10))
  }
  return days
}

/** One symbol over `days` trading days: 240 1m bars a day, their 5m bars, and a factor change per quarter. */
export const yearOf = (symbol: SymbolCode, firstDay: string, days: number) => {
  const next = random(11)
  let price = 20
  const list = tradingDays(firstDay, days)
  const bars1m = list.flatMap((day) =>
    SLOT_LABELS.map((label) => {
      const bar = barAt(symbol, `${day} ${label}`, price, next)
      price = bar.close
      return bar
    }),
  )
  // Table rows: the bar's fields and rev 0 (resampled bars carry no period nor rev).
  const row = (b: Bar) => barRow({ ...b, symbol, rev: 0 })
  const factors = list
    .filter((_, i) => i % 60 === 0)
    .map((day, i) => ({
      symbol,
      day,
      name: "bench",
      pre_close: 20,
      limit_up: 22,
      limit_down: 18,
      st: false,
      adjust: 1 + i * 0.05,
      seq: i + 1,
    }))
  return {
    days: list,
    rows1m: bars1m.map(row),
    rows5m: resample(bars1m, "5m").map(row),
    refs: factors,
  }
}
