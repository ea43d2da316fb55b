import type { Building, FallingObjectTelemetry } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import { round, ruleSignals } from '../../core/rule-signal.ts'
import { floorScale, type FloorScale } from './floor-scale.ts'
import { judgeTrack, type TrackVerdict } from './judge-track.ts'

/** A thrown or fallen object tracked down a façade. */
export const FALLING_OBJECT_THROWN: RuleInfo = {
  id: 'falling_object.thrown',
  version: '1',
  category: 'falling_object',
  severity: 'P1',
  clause: 'Civil Code art. 1254 (objects thrown or falling from buildings); Criminal Law art. 291-2; DOMAIN.md §5 (track spans > 2 floors)',
  title: 'Object thrown from height',
  description: 'A camera track that fits free fall (parabola R² ≥ `minFitR2`, acceleration in ' +
    '[`minAccelMps2`, `maxAccelMps2`], ending lower than it began, tracker confidence ≥ `minConfidence`, at least ' +
    '`minPoints` points) and spans more than `minFloorsSpanned` floors. The origin floor range comes from the fit ' +
    'extrapolated back to zero vertical speed. One event is one alert (subject `camera/eventId`): it is raised at ' +
    'the estimated release time and cleared at the impact time.'
}

/** A camera's analyzer; `lastVerdict()` explains the latest track, accepted or not. */
export interface FallingObjectAnalyzer extends DeviceAnalyzer<'falling_object'> {
  lastVerdict: () => TrackVerdict | undefined
}

const MAX_SUBJECT = 140

/**
 * Judges each tracked event of one façade camera (see {@link judgeTrack}) against the floors of the
 * building the event names (the camera's own when the name is unknown). Rejected tracks raise
 * nothing and are logged at debug.
 *
 * @example const a = createFallingObjectAnalyzer(ctx); a.observe(msg); a.lastVerdict()
 */
export function createFallingObjectAnalyzer (ctx: DeviceContext<'falling_object'>): FallingObjectAnalyzer {
  const s = ctx.settings.fallingObject
  const signals = ruleSignals(FALLING_OBJECT_THROWN, { id: ctx.device.id, kind: 'falling_object', location: ctx.location })
  const scales = new Map<string, { building: Building, scale: FloorScale }>()
  const log = ctx.log.child({ deviceId: ctx.device.id, ruleId: FALLING_OBJECT_THROWN.id })
  const scaleOf = (id: string): { building: Building, scale: FloorScale } => {
    let hit = scales.get(id)
    if (hit === undefined) {
      const building = ctx.community.buildings.find((b) => b.id === id) ?? ctx.building
      hit = { building, scale: floorScale(building) }
      scales.set(id, hit)
    }
    return hit
  }
  let last: TrackVerdict | undefined

  return {
    lastVerdict: () => last,
    observe (msg: FallingObjectTelemetry): Signal[] {
      const { building, scale } = scaleOf(msg.building)
      const v = judgeTrack(msg, scale, s)
      last = v
      if (!v.accepted) {
        log.debug({ eventId: msg.eventId, reason: v.reason, r2: v.fit?.r2, accelMps2: v.fit?.accelMps2 }, 'track rejected')
        return []
      }
      const { fit, estimate: e } = v
      const long = `${ctx.device.id}/${msg.eventId}`
      const subject = long.length <= MAX_SUBJECT ? long : `${ctx.device.id}/${msg.seq}`
      return [
        signals.raise({
          at: e.releaseMs,
          subject,
          values: {
            eventId: msg.eventId,
            accelMps2: round(fit.accelMps2), r2: round(fit.r2, 4), releaseHeightM: round(e.releaseHeightM),
            uncertaintyM: round(e.uncertaintyM), dragAllowanceM: round(e.dragAllowanceM), floorsSpanned: round(fit.floorsSpanned, 1),
            fromFloor: e.floorRange.from, toFloor: e.floorRange.to, floorConfidence: e.floorRange.confidence,
            windowColumnM: round(e.windowColumnM, 1), impactSpeedMps: round(e.impactSpeedMps, 1),
            trackerConfidence: msg.confidence, points: msg.trajectory.length
          },
          window: { fromMs: e.releaseMs, toMs: e.impactMs },
          location: { grid: building.grid, building: building.id, facade: msg.facade, floorRange: e.floorRange },
          clip: msg.clip,
          trajectory: msg.trajectory
        }),
        signals.clear(e.impactMs, subject)
      ]
    }
  }
}
