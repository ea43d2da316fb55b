import type { KindAnalytics } from '../../core/kind-analytics.ts'
import { createFallingObjectAnalyzer, FALLING_OBJECT_THROWN } from './falling-object-analyzer.ts'

export { createFallingObjectAnalyzer, FALLING_OBJECT_THROWN, type FallingObjectAnalyzer } from './falling-object-analyzer.ts'
export { judgeTrack, type TrackFit, type TrackRejection, type TrackVerdict } from './judge-track.ts'
export { floorScale, type FloorScale } from './floor-scale.ts'
export { estimateRelease, type ReleaseEstimate } from './estimate-release.ts'
export { fitFixedAccel, fitLine, fitParabola, type FixedAccelFit, type ParabolaFit } from './parabola-fit.ts'

/**
 * High-altitude thrown-object analytics (Civil Code art. 1254; DOMAIN.md §5): each camera event is
 * fitted to free fall and, when physical and long enough, raised as a P1 alert with its origin
 * floor range, then cleared at impact.
 *
 * @example const analyzer = fallingObjectAnalytics.forDevice(ctx); analyzer.observe(msg)
 */
export const fallingObjectAnalytics: KindAnalytics<'falling_object'> = {
  kind: 'falling_object',
  rules: [FALLING_OBJECT_THROWN],
  forDevice: createFallingObjectAnalyzer
}
