import type { FallingObjectSettings, FallingObjectTelemetry } from '@gangwan/contracts'
import type { FloorScale } from './floor-scale.ts'
import { estimateRelease, type ReleaseEstimate } from './estimate-release.ts'
import { fitParabola } from './parabola-fit.ts'

/** Why a track is not a thrown object. */
export type TrackRejection =
  | 'too_few_points' | 'low_confidence' | 'not_falling' | 'degenerate' | 'poor_fit' | 'accel_out_of_range' | 'short_track'

/** What the parabola fit says about a track. */
export interface TrackFit {
  accelMps2: number
  r2: number
  sigmaM: number
  /** Fitted heights at the first and last tracked points, m. */
  topM: number
  bottomM: number
  floorsSpanned: number
}

/** The verdict on one tracked event: a thrown object with its estimate, or why not. */
export type TrackVerdict =
  | { accepted: true, fit: TrackFit, estimate: ReleaseEstimate }
  | { accepted: false, reason: TrackRejection, fit?: TrackFit }

/**
 * Judges a façade camera's track (DOMAIN.md §5). Free fall is h(t) = h0 + v0·t − a·t²/2; a track is
 * rejected when it has too few points, the tracker is unsure, it does not end lower than it began
 * (a bird, rising laundry), the parabola fits badly (R² < `minFitR2`: fluttering leaves), the fitted
 * acceleration is not gravity-like (outside [`minAccelMps2`, `maxAccelMps2`]: a gliding bird, a
 * drifting bag), or it spans no more than `minFloorsSpanned` floors.
 *
 * An accepted track carries its release estimate and origin floor range (see {@link estimateRelease}).
 *
 * @example const v = judgeTrack(msg, floorScale(building), settings.fallingObject); if (v.accepted) v.estimate.floorRange
 */
export function judgeTrack (msg: FallingObjectTelemetry, scale: FloorScale, s: FallingObjectSettings): TrackVerdict {
  const pts = msg.trajectory
  if (pts.length < s.minPoints) return { accepted: false, reason: 'too_few_points' }
  if (msg.confidence < s.minConfidence) return { accepted: false, reason: 'low_confidence' }
  if (pts[pts.length - 1]!.h >= pts[0]!.h) return { accepted: false, reason: 'not_falling' }
  const f = fitParabola(pts)
  if (f === undefined) return { accepted: false, reason: 'degenerate' }
  const first = pts[0]!.t
  const last = pts[pts.length - 1]!.t
  const hAt = (t: number): number => f.h0 + f.v0 * t - (f.a * t * t) / 2
  const topM = hAt(first)
  const bottomM = Math.max(0, hAt(last))
  const fit: TrackFit = {
    accelMps2: f.a, r2: f.r2, sigmaM: f.sigmaM, topM, bottomM,
    floorsSpanned: scale.positionAt(topM) - scale.positionAt(bottomM)
  }
  if (f.r2 < s.minFitR2) return { accepted: false, reason: 'poor_fit', fit }
  if (f.a < s.minAccelMps2 || f.a > s.maxAccelMps2) return { accepted: false, reason: 'accel_out_of_range', fit }
  // DOMAIN.md §5: deployed systems alarm when a track spans more than 2 floors.
  if (!(fit.floorsSpanned > s.minFloorsSpanned)) return { accepted: false, reason: 'short_track', fit }
  return { accepted: true, fit, estimate: estimateRelease(pts, f, msg.ts, msg.confidence, scale) }
}
