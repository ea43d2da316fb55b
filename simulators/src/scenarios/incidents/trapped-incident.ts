import { trappedFromMs, type ElevatorInjection } from '../../kinds/elevator.ts'
import { endOf, type IncidentHandler, type PreparedIncident } from './incident-context.ts'

/**
 * A passenger trapped in `elevator` (DOMAIN.md §2): at `at` the car opens its door where it stands
 * (or at `floor`), the passenger steps in, the door closes and the car stalls, levelled (`landing`)
 * or 1.2 m out of the door zone (`between`), door shut, passenger present, until the rescue opens
 * the door at `at + for`. `for` must outlast the site's `trappedAfterMs` (60 s by default).
 *
 * @example trappedIncident(incident, ctx).truth.startMs // at + 9 s: the car stands still, door shut
 */
export const trappedIncident: IncidentHandler<'trapped_passenger'> = (inc, ctx): PreparedIncident => {
  const lift = ctx.community.elevators.find((e) => e.id === inc.elevator)
  if (lift === undefined) return ctx.fail('elevator', `no elevator "${inc.elevator}" in community "${ctx.community.id}"`)
  const devices = ctx.community.devices.filter((d) => d.kind === 'elevator' && d.elevator === lift.id)
  if (devices.length === 0) ctx.fail('elevator', `elevator "${lift.id}" has no controller in the device inventory`)
  if (inc.floor !== undefined && (inc.floor === 0 || inc.floor < lift.lowestFloor || inc.floor > lift.highestFloor)) {
    ctx.fail('floor', `elevator "${lift.id}" serves floors ${lift.lowestFloor}..${lift.highestFloor} (no floor 0)`)
  }
  const injection: ElevatorInjection = { fromMs: inc.atMs, untilMs: inc.untilMs, position: inc.position }
  if (inc.floor !== undefined) injection.floor = inc.floor
  if (inc.faultCodes !== undefined) injection.faultCodes = inc.faultCodes
  const stuckMs = trappedFromMs(injection, lift.ratedSpeedMps)
  const after = ctx.community.analytics.elevator.trappedAfterMs
  // The trapped rule needs the door shut for `trappedAfterMs` after the car stands still.
  if (inc.untilMs <= stuckMs + after) {
    ctx.fail('for', `must be longer than ${(stuckMs + after - inc.atMs) / 1000} s (${(stuckMs - inc.atMs) / 1000} s boarding, then trappedAfterMs ${after / 1000} s)`)
  }
  if (ctx.scenario.endMs <= stuckMs + after) ctx.fail('at', 'too close to the end of the run for the trapped time to pass')
  for (const other of ctx.scenario.incidents) {
    if (other !== inc && other.type === 'trapped_passenger' && other.elevator === inc.elevator && other.atMs < inc.untilMs && inc.atMs < other.untilMs) {
      ctx.fail('at', `overlaps incident "${other.id}" in the same elevator`)
    }
  }
  return {
    injections: devices.map((d) => ({ deviceId: d.id, injection })),
    faults: [],
    truth: {
      id: inc.id,
      type: 'trapped_passenger',
      category: 'elevator',
      lifeSafety: true,
      startMs: stuckMs,
      endMs: endOf(inc, ctx),
      match: { building: lift.building, elevator: lift.id, devices: devices.map((d) => d.id) },
      expect: { ruleIds: [inc.position === 'between' ? 'elevator.trapped_between_floors' : 'elevator.trapped_at_landing'], severity: 'P1' }
    }
  }
}
