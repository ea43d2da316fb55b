/** Least-squares fit of h(t) = h0 + v0·t − a·t²/2 (heights up, so free fall has a ≈ g > 0). */
export interface ParabolaFit {
  /** Height at t = 0, m. */
  h0: number
  /** Vertical speed at t = 0, m/s, up positive (a falling object has v0 ≤ 0). */
  v0: number
  /** Downward acceleration, m/s². */
  a: number
  /** Coefficient of determination; 0 when the heights do not vary. */
  r2: number
  /** Residual standard error, m (√(SSres / (n − 3))). */
  sigmaM: number
  /** Covariance of (h0, v0, a): σ²·(XᵀX)⁻¹. */
  cov: number[][]
  n: number
}

type M3 = [[number, number, number], [number, number, number], [number, number, number]]

function inverse3 (m: M3): M3 | undefined {
  const [[a, b, c], [d, e, f], [g, h, i]] = m
  const A = e * i - f * h
  const B = -(d * i - f * g)
  const C = d * h - e * g
  const det = a * A + b * B + c * C
  // Relative to the matrix scale: all points at (nearly) the same time cannot fix three parameters.
  if (!(Math.abs(det) > 1e-12 * Math.max(1, Math.abs(a * e * i)))) return undefined
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det]
  ]
}

/**
 * Fits the free-fall parabola by the normal equations (three parameters: small enough to solve in
 * closed form). Returns undefined with fewer than four points or times too close to separate.
 *
 * @example fitParabola([{ t: 0, h: 30 }, { t: 0.5, h: 28.8 }, { t: 1, h: 25.1 }, { t: 1.5, h: 19 }]).a // ≈ 9.8
 */
export function fitParabola (points: readonly { t: number, h: number }[]): ParabolaFit | undefined {
  const n = points.length
  if (n < 4) return undefined
  // Design row x = [1, t, −t²/2]; accumulate XᵀX and Xᵀy.
  const xtx: M3 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]]
  const xty = [0, 0, 0]
  for (const p of points) {
    const x = [1, p.t, -(p.t * p.t) / 2]
    for (let r = 0; r < 3; r++) {
      xty[r]! += x[r]! * p.h
      for (let c = 0; c < 3; c++) xtx[r]![c]! += x[r]! * x[c]!
    }
  }
  const inv = inverse3(xtx)
  if (inv === undefined) return undefined
  const [h0, v0, a] = inv.map((row) => row[0] * xty[0]! + row[1] * xty[1]! + row[2] * xty[2]!) as [number, number, number]
  const mean = points.reduce((s, p) => s + p.h, 0) / n
  let ssRes = 0
  let ssTot = 0
  for (const p of points) {
    const fit = h0 + v0 * p.t - (a * p.t * p.t) / 2
    ssRes += (p.h - fit) ** 2
    ssTot += (p.h - mean) ** 2
  }
  const s2 = ssRes / (n - 3)
  return {
    h0, v0, a,
    r2: ssTot > 0 ? 1 - ssRes / ssTot : 0,
    sigmaM: Math.sqrt(s2),
    cov: inv.map((row) => row.map((v) => v * s2)),
    n
  }
}

/**
 * Least-squares line x(t) = x0 + vx·t (the horizontal drift along the façade).
 *
 * @example fitLine([{ t: 0, x: 10 }, { t: 1, x: 11 }]) // { x0: 10, vx: 1 }
 */
export function fitLine (points: readonly { t: number, x: number }[]): { x0: number, vx: number } {
  const n = points.length
  const mt = points.reduce((s, p) => s + p.t, 0) / n
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  let sxx = 0
  let sxy = 0
  for (const p of points) {
    sxx += (p.t - mt) ** 2
    sxy += (p.t - mt) * (p.x - mx)
  }
  const vx = sxx > 0 ? sxy / sxx : 0
  return { x0: mx - vx * mt, vx }
}

/** Least-squares fit of h(t) = c + v·t − a·t²/2 with `a` known, and the covariance of (c, v). */
export interface FixedAccelFit {
  c: number
  v: number
  /** Covariance of (c, v): σ²·(XᵀX)⁻¹. */
  cov: [[number, number], [number, number]]
  sigmaM: number
}

/**
 * Fits a track with the acceleration fixed (gravity), two linear parameters: h + a·t²/2 = c + v·t.
 * Returns undefined with fewer than three points or a single time.
 *
 * @example fitFixedAccel([{ t: 0, h: 30 }, { t: 0.1, h: 29.95 }, { t: 0.2, h: 29.8 }], 9.81)?.v // ≈ 0
 */
export function fitFixedAccel (points: readonly { t: number, h: number }[], a: number): FixedAccelFit | undefined {
  const n = points.length
  if (n < 3) return undefined
  const ys = points.map((p) => p.h + (a * p.t * p.t) / 2)
  const mt = points.reduce((s, p) => s + p.t, 0) / n
  const my = ys.reduce((s, y) => s + y, 0) / n
  let sxx = 0
  let sxy = 0
  points.forEach((p, i) => { sxx += (p.t - mt) ** 2; sxy += (p.t - mt) * (ys[i]! - my) })
  if (!(sxx > 0)) return undefined
  const v = sxy / sxx
  const c = my - v * mt
  const ssRes = points.reduce((s, p, i) => s + (ys[i]! - c - v * p.t) ** 2, 0)
  const s2 = ssRes / (n - 2)
  // (XᵀX)⁻¹ for rows [1, t], written with the centred sums.
  const varV = s2 / sxx
  return { c, v, cov: [[s2 / n + mt * mt * varV, -mt * varV], [-mt * varV, varV]], sigmaM: Math.sqrt(s2) }
}
