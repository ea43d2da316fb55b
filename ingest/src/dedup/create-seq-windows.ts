/** Recent sequence numbers per key (a device's telemetry, a source's heartbeats). */
export interface SeqWindows {
  /**
   * Records `seq` for `key`; true when it was already recorded (a duplicate). A seq older than the
   * window cannot be judged and counts as new: the idempotent point identity removes it downstream.
   */
  seen: (key: string, seq: number) => boolean
  /** Un-records `seq` (its journal commit failed, so the client's resend must not count as a duplicate). */
  forget: (key: string, seq: number) => void
  /** Number of keys tracked. */
  readonly size: number
}

interface Window { max: number; bits: Uint32Array }

/**
 * A bounded in-memory window of the last `size` sequence numbers per key: a ring of bits indexed by
 * `seq % size` below the highest seq seen. Memory is `size / 8` bytes per key (128 B at 1024), O(1)
 * per message; a QoS 1 resend or an edge replay lands well inside the window.
 *
 * @example const w = createSeqWindows(); w.seen('D1', 5) // false; w.seen('D1', 5) // true
 */
export function createSeqWindows (size = 1024): SeqWindows {
  if (size < 32 || size % 32 !== 0) throw new RangeError('window size must be a positive multiple of 32')
  const windows = new Map<string, Window>()
  const set = (w: Window, seq: number): void => { const i = seq % size; w.bits[i >>> 5]! |= 1 << (i & 31) }
  const clear = (w: Window, seq: number): void => { const i = seq % size; w.bits[i >>> 5]! &= ~(1 << (i & 31)) }
  const test = (w: Window, seq: number): boolean => { const i = seq % size; return (w.bits[i >>> 5]! & (1 << (i & 31))) !== 0 }

  return {
    seen (key, seq) {
      const w = windows.get(key)
      if (w === undefined) {
        const fresh = { max: seq, bits: new Uint32Array(size / 32) }
        set(fresh, seq)
        windows.set(key, fresh)
        return false
      }
      if (seq > w.max) {
        // Slots between the old max and seq held seqs one lap older: clear them.
        if (seq - w.max >= size) w.bits.fill(0)
        else for (let s = w.max + 1; s < seq; s++) clear(w, s)
        w.max = seq
        set(w, seq)
        return false
      }
      if (seq <= w.max - size) return false
      if (test(w, seq)) return true
      set(w, seq)
      return false
    },
    forget (key, seq) {
      const w = windows.get(key)
      if (w !== undefined && seq <= w.max && seq > w.max - size) clear(w, seq)
    },
    get size () { return windows.size }
  }
}
