import type { FallingObjectTelemetry, TrajectoryPoint } from '@gangwan/contracts'
import { featureList, type FeatureSet } from './feature-set.ts'
import { median, sanitize } from './series-stats.ts'

const G = 9.81

const FEATURES = featureList([
  ['points', 'trajectory points ÷ 100'],
  ['duration', 'track duration, s ÷ 5'],
  ['start', 'height of the first point, m ÷ 100'],
  ['endRatio', 'height of the last point ÷ height of the first'],
  ['accel', 'fitted downward acceleration ÷ g (h = a + b·t + c·t², −2c ÷ g; 1 for a free fall)'],
  ['v0', 'fitted downward speed at the first point ÷ g·1 s'],
  ['fit', 'log10(RMS residual of the parabola, m + 0.01)'],
  ['rising', 'fraction of steps where the object rises'],
  ['maxRise', 'log1p(largest rise between two points, m)'],
  ['dropRatio', 'height lost ÷ g·T²/2 (what a free fall from rest loses in the track time T)'],
  ['vx', 'mean horizontal speed, m/s ÷ 5'],
  ['xFit', 'log10(RMS residual of a straight line x(t), m + 0.01)'],
  ['spike', 'log1p(largest parabola residual ÷ (median residual + 0.05 m))']
])

/** Least-squares polynomial fit of degree 1 or 2 by normal equations (3×3 at most, Cramer's rule). */
function polyfit (t: readonly number[], y: readonly number[], degree: 1 | 2): number[] {
  const k = degree + 1
  const s = new Array<number>(2 * k - 1).fill(0)
  const r = new Array<number>(k).fill(0)
  for (let i = 0; i < t.length; i++) {
    let p = 1
    for (let j = 0; j < 2 * k - 1; j++) { s[j]! += p; if (j < k) r[j]! += p * y[i]!; p *= t[i]! }
  }
  const m = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => s[i + j]!))
  const det = (a: number[][]): number => a.length === 2
    ? a[0]![0]! * a[1]![1]! - a[0]![1]! * a[1]![0]!
    : a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!)
  const d = det(m)
  if (Math.abs(d) < 1e-12) return new Array<number>(k).fill(0)
  return r.map((_, c) => det(m.map((row, i) => row.map((v, j) => (j === c ? r[i]! : v)))) / d)
}

function residuals (t: readonly number[], y: readonly number[], coef: readonly number[]): number[] {
  return t.map((x, i) => y[i]! - coef.reduce((acc, c, j) => acc + c * x ** j, 0))
}

const rms = (xs: readonly number[]): number => Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / Math.max(1, xs.length))

/**
 * Façade-camera tracks (Civil Code art. 1254): one event is one window. A second opinion on the
 * camera's tracker from the physics of the track alone, leaving out the camera's own confidence:
 * a free fall (h = h0 − v0·t − g·t²/2), a bird, leaf or laundry (level or rising stretches), or a
 * tracker glitch (single points jumping off the curve).
 *
 * @example fallingObjectFeatures.extract([event], {}) // Float32Array(13)
 */
export const fallingObjectFeatures: FeatureSet<'falling_object', object> = {
  id: 'falling_object/v1',
  kind: 'falling_object',
  features: FEATURES,
  window: 1,
  stride: 1,
  // Every camera can be judged, and the physics needs nothing from the inventory.
  prepare: () => ({}),
  extract (msgs: readonly FallingObjectTelemetry[]) {
    const out = new Float32Array(FEATURES.length)
    const tr: readonly TrajectoryPoint[] = msgs[msgs.length - 1]?.trajectory ?? []
    if (tr.length < 2) return out
    const t = tr.map((p) => p.t - tr[0]!.t)
    const h = tr.map((p) => p.h)
    const x = tr.map((p) => p.x)
    const T = Math.max(t[t.length - 1]!, 1e-3)
    const ph = polyfit(t, h, 2)
    const rh = residuals(t, h, ph)
    const absR = rh.map(Math.abs)
    let rising = 0; let maxRise = 0; let dist = 0
    for (let i = 1; i < tr.length; i++) {
      const dh = h[i]! - h[i - 1]!
      if (dh > 0) { rising++; maxRise = Math.max(maxRise, dh) }
      dist += Math.abs(x[i]! - x[i - 1]!)
    }
    out.set([
      tr.length / 100, T / 5, h[0]! / 100, h[0]! > 0 ? h[h.length - 1]! / h[0]! : 0,
      (-2 * ph[2]!) / G, -ph[1]! / G, Math.log10(rms(rh) + 0.01),
      rising / (tr.length - 1), Math.log1p(maxRise), (h[0]! - h[h.length - 1]!) / ((G * T * T) / 2),
      dist / T / 5, Math.log10(rms(residuals(t, x, polyfit(t, x, 1))) + 0.01),
      Math.log1p(Math.max(...absR) / (median(absR) + 0.05))
    ])
    return sanitize(out)
  }
}
