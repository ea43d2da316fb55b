/** A temperature slope between two samples. */
export interface RateOfRise {
  cPerMin: number
  fromMs: number
  toMs: number
  fromC: number
  toC: number
}

/** The recent temperature samples of one heat detector and the slope they show. */
export interface RateOfRiseWindow {
  /** Adds a sample (measurement time, °C); out-of-order samples are placed by time. */
  add: (ts: number, temperatureC: number) => void
  /** The slope ending at the newest sample, or undefined when no baseline qualifies. */
  current: () => RateOfRise | undefined
}

/**
 * Rate of rise in °C/min, measured time-based rather than sample-based: from the newest sample
 * back to the newest one that is at least `minSpanMs` and at most `maxSpanMs` older.
 *
 * At the 60 s report interval that baseline is the previous report; when a detector reports every
 * few seconds during an alarm it is the sample ≈ `minSpanMs` back, so ±0.1 °C of noise between
 * two reports a second apart never reads as a steep slope; after lost reports a baseline up to
 * `maxSpanMs` old still counts, and older ones do not (the slope would be an average over too
 * long a time to mean "rising now"). Needs at least two samples.
 *
 * The samples live in two typed arrays in time order, [start, end) in use: appending and ageing
 * out are O(1) amortised and the baseline is a binary search, since a detector flooding the hub
 * (tens of reports a second) keeps thousands of samples in `maxSpanMs`.
 *
 * @example
 * const w = createRateOfRise(30_000, 180_000); w.add(t, 22); w.add(t + 60_000, 32)
 * w.current()?.cPerMin // 10
 */
export function createRateOfRise (minSpanMs: number, maxSpanMs: number): RateOfRiseWindow {
  let ts = new Float64Array(8)
  let cs = new Float64Array(8)
  let start = 0
  let end = 0

  /** Makes room for one more sample at `end` (compacting to the front, or doubling when over half full); returns how far the samples moved down. */
  function room (): number {
    if (end < ts.length) return 0
    const moved = start
    const n = end - start
    if (n * 2 > ts.length) {
      const t2 = new Float64Array(ts.length * 2)
      const c2 = new Float64Array(ts.length * 2)
      t2.set(ts.subarray(start, end))
      c2.set(cs.subarray(start, end))
      ts = t2
      cs = c2
    } else {
      ts.copyWithin(0, start, end)
      cs.copyWithin(0, start, end)
    }
    start = 0
    end = n
    return moved
  }

  return {
    add (t, c) {
      // Where it goes: after every sample not later than it (almost always at the end).
      let i = end
      while (i > start && ts[i - 1]! > t) i--
      if (i > start && ts[i - 1] === t) {
        cs[i - 1] = c
      } else {
        i -= room()
        ts.copyWithin(i + 1, i, end)
        cs.copyWithin(i + 1, i, end)
        ts[i] = t
        cs[i] = c
        end++
      }
      const newest = ts[end - 1]!
      while (end > start && newest - ts[start]! > maxSpanMs) start++
    },
    current () {
      if (end === start) return undefined
      const lastTs = ts[end - 1]!
      // The baseline is the newest earlier sample at least `minSpanMs` older: the last index in
      // [start, end − 1) for which the span qualifies (spans shrink as the index grows).
      let lo = start
      let hi = end - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (lastTs - ts[mid]! >= minSpanMs) lo = mid + 1
        else hi = mid
      }
      const b = lo - 1
      if (b < start) return undefined
      const lastC = cs[end - 1]!
      return { cPerMin: ((lastC - cs[b]!) * 60_000) / (lastTs - ts[b]!), fromMs: ts[b]!, toMs: lastTs, fromC: cs[b]!, toC: lastC }
    }
  }
}
