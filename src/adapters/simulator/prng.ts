/**
 * Counter-based random numbers: every (seed, key, step) starts its own splitmix32 sequence, so any step of any
 * symbol can be drawn alone, in any order, and always gives the same numbers.
 */

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
export const mix32 = (x: number): number => {
  let h = x | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** One 32-bit number from several: a seed for a (seed, key, step) sequence. */
export const hash3 = (a: number, b: number, c: number): number =>
  mix32(Math.imul(a | 0, 0x9e3779b1) + mix32((b | 0) + Math.imul(c | 0, 0x85ebca77)))

/**
 * A reusable generator whose state is one 32-bit integer, re-seeded per (seed, key, step).
 * State: `state`, the splitmix32 counter; every draw advances it by the golden-ratio increment.
 */
export interface Rng {
  /** Starts the sequence of (seed, key, step). */
  readonly reseed: (seed: number, key: number, step: number) => void
  /** Uniform in [0, 1). */
  readonly unit: () => number
  /** Approximately standard normal (Irwin-Hall of 3 uniforms: bounded at +-3, plenty for price noise). */
  readonly normal: () => number
}

const TWO_POW_32 = 4_294_967_296

export const makeRng = (): Rng => {
  let state = 0
  const unit = (): number => {
    state = (state + 0x9e3779b9) | 0
    let z = Math.imul(state ^ (state >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    return ((z ^ (z >>> 15)) >>> 0) / TWO_POW_32
  }
  return {
    reseed: (seed, key, step) => {
      state = hash3(seed, key, step)
    },
    unit,
    normal: () => (unit() + unit() + unit() - 1.5) * 2,
  }
}
