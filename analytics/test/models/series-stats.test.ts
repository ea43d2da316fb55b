import { describe, expect, test } from 'vitest'
import { median, SERIES_STATS_COUNT, seriesStats } from '../../src/models/features/series-stats.ts'

/** The median by definition: the middle of a sorted copy, or the mean of the two middles. */
function plainMedian (xs: readonly number[]): number {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

describe('series statistics', () => {
  test.each([0, 1, 2, 3, 30, 31, 60, 120, 128, 129, 400])('median of %i readings equals the plain definition and leaves its input alone', (n) => {
    let seed = n + 1
    const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    // Repeated values and zeros, as stuck and dropping-out sensors give.
    const xs = Array.from({ length: n }, () => (next() < 0.2 ? 0 : Math.round((next() - 0.3) * 100) / 10))
    const copy = [...xs]
    expect(median(xs)).toBe(plainMedian(xs))
    expect(xs).toEqual(copy)
    expect(median(new Float64Array([...xs, 99, 99]), n)).toBe(plainMedian(xs))
  })

  test('the first n readings of longer buffers give the statistics of those readings alone', () => {
    const xs = [0.012, 0.013, 0.011, 0.011, 0.02, 0.012, 0.013, 0.5, 0.012, 0.014]
    const ts = xs.map((_, i) => 1_763_800_000_000 + i * 60_000)
    const whole = new Float32Array(SERIES_STATS_COUNT)
    seriesStats(xs, ts, 0.05, 0, whole, 0)
    const prefix = new Float32Array(SERIES_STATS_COUNT)
    seriesStats(new Float64Array([...xs, 7, 7, 7]), new Float64Array([...ts, 0, 0, 0]), 0.05, 0, prefix, 0, xs.length)
    expect(prefix).toEqual(whole)
    // A spike of 0.5 among ~0.012 readings: the spike statistic (log1p of the robust z) is large.
    expect(whole[6]!).toBeGreaterThan(3)
  })
})
