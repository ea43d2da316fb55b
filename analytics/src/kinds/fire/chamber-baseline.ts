/** A smoke chamber's clean-air reading over the latest window, and the cleanest seen before. */
export interface ChamberReading {
  /** The window's low percentile of the readings that count, dB/m. */
  baselineDbM: number
  /** The lowest baseline seen of this chamber so far, dB/m: its reading when clean. */
  referenceDbM: number
  /** Start of the window (measurement time, ms) and how many readings counted in it. */
  fromMs: number
  samples: number
}

/** Tracks one detector's clean-air reading. */
export interface ChamberBaseline {
  /**
   * Adds a reading in measurement-time order. `counts` false (the detector in alarm, smoke at the
   * pre-alarm level or over) keeps it out of the baseline: smoke from a fire is not dust.
   */
  add: (ts: number, smokeDbM: number, counts: boolean) => void
  /** The reading as of the latest window; undefined until one full window has been seen. */
  current: () => ChamberReading | undefined
}

/** Fewer readings than this in a window (a detector mostly in alarm, or silent) say nothing. */
const MIN_SAMPLES = 5

/**
 * The clean-air reading of a photoelectric chamber (DOMAIN.md §1, dirty chamber): the
 * `percentile` (e.g. 0.1) of its readings over the trailing `windowMs`, nearest rank. A burst of
 * smoke (a cigarette, steam, a test) lifts a few readings and leaves a low percentile alone; dust
 * lifts them all. It is judged once the detector has been heard for a whole window, then on every
 * reading; the lowest value judged is the chamber's reference (the cleanest the hub has seen).
 *
 * @example
 * const b = createChamberBaseline(600_000, 0.1)
 * b.add(msg.ts, msg.smokeDbM, !msg.alarm); b.current()?.baselineDbM
 */
export function createChamberBaseline (windowMs: number, percentile: number): ChamberBaseline {
  const ts: number[] = []
  const values: number[] = []
  let firstMs: number | undefined
  let latest: ChamberReading | undefined
  let reference = Infinity
  return {
    add (t, smokeDbM, counts) {
      firstMs ??= t
      if (counts) { ts.push(t); values.push(smokeDbM) }
      let drop = 0
      while (drop < ts.length && ts[drop]! <= t - windowMs) drop++
      if (drop > 0) { ts.splice(0, drop); values.splice(0, drop) }
      if (t - firstMs < windowMs || values.length < MIN_SAMPLES || !counts) return
      const sorted = [...values].sort((a, b) => a - b)
      const baselineDbM = sorted[Math.floor(percentile * (sorted.length - 1))]!
      reference = Math.min(reference, baselineDbM)
      latest = { baselineDbM, referenceDbM: reference, fromMs: t - windowMs, samples: values.length }
    },
    current: () => latest
  }
}
