/**
 * Maps wall-clock time to simulated market time: speed 1 is real time, speed N runs N market seconds per wall
 * second, and spans where nothing trades (before 09:15, the pre-open after 09:15, 09:25-09:30, the lunch break,
 * the closing call) can be skipped so an accelerated day spends its wall time on trading.
 */

export interface MarketClockOptions {
  /** Market milliseconds per wall millisecond, > 0. */
  readonly speed: number
  /** Market time (epoch ms) at `startWallMs`. */
  readonly startMarketMs: number
  readonly startWallMs: number
  /** Market-time spans [start, end) passed in no wall time; sorted, not overlapping. Default none. */
  readonly gaps?: ReadonlyArray<readonly [number, number]>
}

export interface MarketClock {
  readonly speed: number
  /** Market time at a wall time; after a skipped span is reached it reads the span's end. */
  readonly marketAt: (wallMs: number) => number
  /** Wall time at which the market reaches `marketMs` (the inverse of `marketAt` outside skipped spans). */
  readonly wallAt: (marketMs: number) => number
}

export const makeMarketClock = (options: MarketClockOptions): MarketClock => {
  const { speed, startMarketMs: start, startWallMs } = options
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`speed must be a number > 0, got ${speed}`)
  // Only the parts of spans after the start matter: the clock never runs backwards.
  const gaps = (options.gaps ?? [])
    .filter(([, end]) => end > start)
    .map(([a, b]): readonly [number, number] => [Math.max(a, start), b])

  /** Market milliseconds that run on the wall clock between the start and `marketMs`. */
  const activeUntil = (marketMs: number): number => {
    let skipped = 0
    for (const [a, b] of gaps) {
      if (a >= marketMs) break
      skipped += Math.min(b, marketMs) - a
    }
    return marketMs - start - skipped
  }

  const marketAt = (wallMs: number): number => {
    let remaining = (wallMs - startWallMs) * speed
    if (remaining < 0) return start + remaining
    let cursor = start
    for (const [a, b] of gaps) {
      if (remaining < a - cursor) break
      remaining -= a - cursor
      cursor = b
    }
    return cursor + remaining
  }

  const wallAt = (marketMs: number): number =>
    startWallMs + (marketMs <= start ? marketMs - start : activeUntil(marketMs)) / speed

  return { speed, marketAt, wallAt }
}
