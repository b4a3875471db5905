/**
 * The 1m slots of one symbol's day that can still change or be read, from `start` on, in one Float64Array of
 * seven numbers a slot. It grows by doubling when a slot past its end is written, slides forward when the
 * slots before a point are final, and halves again when it is mostly empty.
 * Why: seven 240-slot typed arrays per symbol were 63 MB of mostly final slots for the full market (a heap
 * snapshot of the adapter); a live symbol needs two or three slots.
 */
export const OPEN = 0
export const HIGH = 1
export const LOW = 2
export const CLOSE = 3
export const VOL = 4
export const AMOUNT = 5
export const REV = 6
export type SlotField = 0 | 1 | 2 | 3 | 4 | 5 | 6

const STRIDE = 7
const MIN_SLOTS = 4

/** An empty slot: no priced trade (open NaN), nothing traded, never revised. */
const clearSlots = (data: Float64Array, from: number, to: number): void => {
  data.fill(0, from * STRIDE, to * STRIDE)
  for (let i = from; i < to; i++) data[i * STRIDE + OPEN] = Number.NaN
}

const emptySlots = (n: number): Float64Array => {
  const data = new Float64Array(n * STRIDE)
  clearSlots(data, 0, n)
  return data
}

export class SlotWindow {
  /** Slots [start, end) are held; those before `start` were dropped, those from `end` on are empty. */
  private start = 0
  private end = 0
  private data = emptySlots(MIN_SLOTS)

  /** How many slots the buffer can hold now (for tests of the memory it keeps). */
  get capacity(): number {
    return this.data.length / STRIDE
  }

  clear(): void {
    this.start = this.end = 0
    if (this.capacity > MIN_SLOTS) this.data = emptySlots(MIN_SLOTS)
    else clearSlots(this.data, 0, MIN_SLOTS)
  }

  /** A field of slot `k`; a slot not held reads as empty. */
  get(k: number, field: SlotField): number {
    if (k < this.start || k >= this.end) return field === OPEN ? Number.NaN : 0
    return this.data[(k - this.start) * STRIDE + field]!
  }

  // `hold` may replace `data`, so it runs before `data` is read.
  set(k: number, field: SlotField, value: number): void {
    const i = this.hold(k) + field
    this.data[i] = value
  }

  add(k: number, field: SlotField, value: number): void {
    const i = this.hold(k) + field
    this.data[i]! += value
  }

  /** Drops the slots before `k`: nothing reads them again. */
  dropBefore(k: number): void {
    if (k <= this.start) return
    const kept = Math.max(0, this.end - k)
    const held = this.end - this.start
    if (kept > 0) this.data.copyWithin(0, (k - this.start) * STRIDE, held * STRIDE)
    clearSlots(this.data, kept, held)
    this.start = k
    this.end = k + kept
    if (kept * 4 <= this.capacity && this.capacity > MIN_SLOTS) this.resize(this.capacity / 2)
  }

  // Offset of slot k's first number, holding it (and the empty slots before it) first.
  private hold(k: number): number {
    if (k < this.start) throw new RangeError(`slot ${k} was dropped (window starts at ${this.start})`)
    if (k >= this.end) {
      if (k - this.start >= this.capacity) {
        let n = this.capacity * 2
        while (k - this.start >= n) n *= 2
        this.resize(n)
      }
      this.end = k + 1
    }
    return (k - this.start) * STRIDE
  }

  private resize(slots: number): void {
    const next = emptySlots(slots)
    next.set(this.data.subarray(0, (this.end - this.start) * STRIDE))
    this.data = next
  }
}
