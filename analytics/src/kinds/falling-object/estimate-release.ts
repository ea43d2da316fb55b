import type { FloorRange } from '@gangwan/contracts'
import type { FloorScale } from './floor-scale.ts'
import { fitFixedAccel, fitLine, type ParabolaFit } from './parabola-fit.ts'

/** Standard gravity, m/s². */
const G_MPS2 = 9.81
/** Early stretch of a track fitted with gravity alone: slow enough that air drag is negligible. */
const EARLY_S = 0.6
const EARLY_MIN_POINTS = 6

/** Where and when the object was released and landed, with the floor range it came from. */
export interface ReleaseEstimate {
  releaseHeightM: number
  /** Half-width of the height interval mapped to floors (before the drag allowance), m. */
  uncertaintyM: number
  /** Extra height allowed above the estimate because the whole track falls slower than gravity, m. */
  dragAllowanceM: number
  floorRange: FloorRange
  /** Metres along the façade at release (the window column). */
  windowColumnM: number
  releaseMs: number
  impactMs: number
  impactSpeedMps: number
}

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a confidence given to two decimals.
function normalCdf (z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 1 : 0
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/**
 * Release point of an accepted track. Near release the object is slow and falls at g whatever its
 * drag, so the first ~0.6 s of the track are fitted with a = g and extrapolated back to zero
 * vertical speed (t* = v/g, h = c + v²/2g); if the object was still rising at the first point
 * (tossed up), the first point is the release. The whole-track parabola extrapolated the same way
 * lands higher when drag lowered its fitted acceleration: half that difference is allowed upwards.
 *
 * Height band: ± (frame spacing × speed at the first point + 2 standard errors of the extrapolated
 * height), plus the drag allowance upwards, mapped onto the storeys (floor n spans the cumulative
 * storey heights). Confidence = tracker confidence × the probability mass, under a normal with that
 * band's centre and σ = √((half-width/2)² + (allowance/2)²), of the storeys in the range.
 *
 * @example const e = estimateRelease(points, fit, msg.ts, msg.confidence, floorScale(building))
 */
export function estimateRelease (
  pts: readonly { t: number, x: number, h: number }[], fit: ParabolaFit, ts: number, trackerConfidence: number, scale: FloorScale
): ReleaseEstimate {
  const first = pts[0]!.t
  const last = pts[pts.length - 1]!.t
  const early = pts.filter((p, i) => p.t - first <= EARLY_S || i < EARLY_MIN_POINTS)
  // The parabola (≥ 4 distinct times) guarantees the early fit exists; fall back to it all the same.
  const e = fitFixedAccel(early, G_MPS2) ?? { c: fit.h0, v: fit.v0, cov: [[0, 0], [0, 0]] as [[number, number], [number, number]], sigmaM: 0 }
  const firstSpeed = e.v - G_MPS2 * first
  const tRelease = firstSpeed < 0 ? e.v / G_MPS2 : first
  const releaseHeightM = e.c + e.v * tRelease - (G_MPS2 * tRelease * tRelease) / 2
  // Variance of the release height through its gradient in (c, v).
  const dv = firstSpeed < 0 ? e.v / G_MPS2 : first
  const variance = e.cov[0][0] + 2 * dv * e.cov[0][1] + dv * dv * e.cov[1][1]
  const frameS = median(pts.slice(1).map((p, i) => p.t - pts[i]!.t))
  const uncertaintyM = frameS * Math.abs(firstSpeed) + 2 * Math.sqrt(Math.max(0, variance))
  const parabolaFirstSpeed = fit.v0 - fit.a * first
  const parabolaRelease = parabolaFirstSpeed < 0 ? fit.h0 + (fit.v0 * fit.v0) / (2 * fit.a) : releaseHeightM
  const dragAllowanceM = Math.max(0, parabolaRelease - releaseHeightM) / 2

  const from = scale.floorAt(releaseHeightM - uncertaintyM)
  const to = scale.floorAt(releaseHeightM + uncertaintyM + dragAllowanceM)
  const centre = releaseHeightM + dragAllowanceM / 2
  const sigma = Math.max(1e-6, Math.hypot(uncertaintyM / 2, dragAllowanceM / 2))
  const lo = from === 1 ? -Infinity : scale.levelM(from)
  const hi = to === scale.floors ? Infinity : scale.levelM(to + 1)
  const mass = normalCdf((hi - centre) / sigma) - normalCdf((lo - centre) / sigma)

  // Ground impact from the whole-track fit (the track may end above ground behind trees or a canopy).
  const disc = fit.v0 * fit.v0 + 2 * fit.a * fit.h0
  const tImpact = Math.max(last, disc >= 0 ? (fit.v0 + Math.sqrt(disc)) / fit.a : last)
  const line = fitLine(pts)
  return {
    releaseHeightM,
    uncertaintyM,
    dragAllowanceM,
    floorRange: { from, to, confidence: Math.round(trackerConfidence * mass * 100) / 100 },
    windowColumnM: line.x0 + line.vx * tRelease,
    releaseMs: Math.round(ts + tRelease * 1000),
    impactMs: Math.round(ts + tImpact * 1000),
    impactSpeedMps: Math.abs(fit.v0 - fit.a * tImpact)
  }
}
