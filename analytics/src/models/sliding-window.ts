/**
 * The last `size` messages of one device, releasing a window every `stride` messages once full.
 * A message older than the newest one kept is refused (a late duplicate or a replay overlap),
 * so a window is always in measurement-time order.
 */
export interface SlidingWindow<T extends { ts: number }> {
  /** Adds a message; returns the window (oldest first) when one is due, else null. */
  push: (msg: T) => readonly T[] | null
  /** Messages refused so far as out of order. */
  readonly refused: number
}

/**
 * @example
 * const w = createSlidingWindow<FireTelemetry>(30, 5)
 * const win = w.push(msg) // null until 30 messages, then every 5th
 */
export function createSlidingWindow<T extends { ts: number }> (size: number, stride: number): SlidingWindow<T> {
  const ring: T[] = new Array<T>(size)
  let count = 0
  let refused = 0
  // The newest `ts` kept, as a number: reading it off the previous message would touch an object
  // that has long left the CPU cache when a thousand devices report in between.
  let newest = -Infinity
  return {
    push (msg) {
      if (count > 0 && msg.ts < newest) { refused++; return null }
      ring[count % size] = msg
      newest = msg.ts
      count++
      if (count < size || (count - size) % stride !== 0) return null
      const out = new Array<T>(size)
      for (let i = 0; i < size; i++) out[i] = ring[(count - size + i) % size]!
      return out
    },
    get refused () { return refused }
  }
}
