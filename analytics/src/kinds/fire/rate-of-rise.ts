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
 * @example
 * const w = createRateOfRise(30_000, 180_000); w.add(t, 22); w.add(t + 60_000, 32)
 * w.current()?.cPerMin // 10
 */
export function createRateOfRise (minSpanMs: number, maxSpanMs: number): RateOfRiseWindow {
  const samples: { ts: number, c: number }[] = []
  return {
    add (ts, c) {
      let i = samples.length
      while (i > 0 && samples[i - 1]!.ts > ts) i--
      if (samples[i - 1]?.ts === ts) samples[i - 1] = { ts, c }
      else samples.splice(i, 0, { ts, c })
      const newest = samples[samples.length - 1]!.ts
      while (samples.length > 0 && newest - samples[0]!.ts > maxSpanMs) samples.shift()
    },
    current () {
      const last = samples[samples.length - 1]
      if (last === undefined) return undefined
      for (let i = samples.length - 2; i >= 0; i--) {
        const base = samples[i]!
        const span = last.ts - base.ts
        if (span < minSpanMs) continue
        return { cPerMin: ((last.c - base.c) * 60_000) / span, fromMs: base.ts, toMs: last.ts, fromC: base.c, toC: last.c }
      }
      return undefined
    }
  }
}
