/**
 * A min-priority queue of entry indexes by time, ties broken by index so the order never depends
 * on insertion history (the simulation stays reproducible). Rescheduling an entry pushes it again;
 * the stale copy is skipped when it surfaces.
 */
export interface TimeQueue {
  schedule: (index: number, timeMs: number) => void
  /** Earliest scheduled time, Infinity when empty. */
  peekTime: () => number
  /** Removes and returns the earliest entry's index, or -1 when empty. */
  pop: () => number
  timeOf: (index: number) => number
}

/** Creates a {@link TimeQueue} for indexes 0..size-1. */
export function createTimeQueue (size: number): TimeQueue {
  const current = new Float64Array(size).fill(Infinity)
  // Each push carries the entry's version; only the latest version of an entry is live.
  const version = new Uint32Array(size)
  const times: number[] = []
  const idx: number[] = []
  const vers: number[] = []
  const less = (a: number, b: number): boolean => times[a]! < times[b]! || (times[a] === times[b] && idx[a]! < idx[b]!)
  const swap = (a: number, b: number): void => {
    const t = times[a]!; times[a] = times[b]!; times[b] = t
    const i = idx[a]!; idx[a] = idx[b]!; idx[b] = i
    const v = vers[a]!; vers[a] = vers[b]!; vers[b] = v
  }
  const up = (k: number): void => {
    while (k > 0) {
      const p = (k - 1) >> 1
      if (!less(k, p)) break
      swap(k, p); k = p
    }
  }
  const down = (k: number): void => {
    const n = times.length
    for (;;) {
      const l = 2 * k + 1
      const r = l + 1
      let m = k
      if (l < n && less(l, m)) m = l
      if (r < n && less(r, m)) m = r
      if (m === k) return
      swap(k, m); k = m
    }
  }
  const removeTop = (): void => {
    const last = times.length - 1
    swap(0, last)
    times.pop(); idx.pop(); vers.pop()
    if (times.length > 0) down(0)
  }
  const dropStale = (): void => {
    while (times.length > 0 && version[idx[0]!] !== vers[0]) removeTop()
  }
  return {
    schedule (index, timeMs) {
      current[index] = timeMs
      version[index] = version[index]! + 1
      if (timeMs === Infinity) return
      times.push(timeMs); idx.push(index); vers.push(version[index]!)
      up(times.length - 1)
    },
    peekTime () {
      dropStale()
      return times.length > 0 ? times[0]! : Infinity
    },
    pop () {
      dropStale()
      if (times.length === 0) return -1
      const i = idx[0]!
      removeTop()
      current[i] = Infinity
      version[i] = version[i]! + 1
      return i
    },
    timeOf: (index) => current[index]!
  }
}
