import type { FireInjection } from '../../kinds/fire.ts'
import type { DeviceOf } from '../../kinds/device-model.ts'
import { createRng, type Rng } from '../../rng.ts'
import { buildingOf, endOf, type IncidentHandler, type PreparedIncident } from './incident-context.ts'

// Smoke builds up over the first minute (dB/m at 0, 15, 30, 45 s): over the GB 4715-2024 §5.7
// type A response of 0.05 dB/m from 15 s; at 60 s the detector's own alarm trips.
const SMOKE_RISE: readonly (readonly [number, number])[] = [[0, 0.03], [15_000, 0.06], [30_000, 0.12], [45_000, 0.2]]
const ALARM_MS = 60_000
// Then smoke thickens by 0.05 dB/m a minute up to 2.5, and the air under the ceiling heats at
// 10 °C/min from 30 °C to 90 °C: over the 8.3 °C/min rate of rise and every class's static response.
const STEP_MS = 30_000
// A resident sees the fire and presses the floor's manual call point.
const MANUAL_CALL_MS = 90_000
const MIN_FOR_MS = 3 * 60_000

function smokeAt (ms: number, rng: Rng): number {
  const rise = [...SMOKE_RISE].reverse().find(([t]) => ms >= t)
  const level = ms < ALARM_MS ? rise![1] : Math.min(2.5, 0.3 + (0.05 * (ms - ALARM_MS)) / 60_000)
  return Math.round(level * (1 + rng.normal(0, 0.05)) * 1000) / 1000
}

function heatAt (ms: number, rng: Rng): number {
  return Math.round((Math.min(90, 30 + (10 * (ms - ALARM_MS)) / 60_000) + rng.normal(0, 0.3)) * 10) / 10
}

/** Injections of one detector: a value per step, each held until the next (the model reports at every step). */
function detectorInjections (d: DeviceOf<'fire'>, atMs: number, untilMs: number, alarmC: number, rng: Rng): FireInjection[] {
  if (d.detector === 'manual_call_point') return [{ fromMs: atMs + MANUAL_CALL_MS, untilMs, manualCall: true }]
  const smoke = d.detector === 'smoke' || d.detector === 'multi'
  const heat = d.detector === 'heat' || d.detector === 'multi'
  const steps = smoke ? SMOKE_RISE.map(([t]) => t) : []
  for (let t = ALARM_MS; atMs + t < untilMs; t += STEP_MS) steps.push(t)
  return steps.filter((t) => atMs + t < untilMs).map((t, i, all) => {
    const inj: FireInjection = { fromMs: atMs + t, untilMs: Math.min(untilMs, atMs + (all[i + 1] ?? Infinity)) }
    if (smoke) inj.smokeDbM = smokeAt(t, rng)
    if (heat && t >= ALARM_MS) inj.temperatureC = heatAt(t, rng)
    inj.alarm = (smoke && t >= ALARM_MS) || (inj.temperatureC !== undefined && inj.temperatureC >= alarmC)
    return inj
  })
}

/**
 * A fire on `floor` of `building`: in the floor's fire zone (or `zone`) smoke and multi-sensor
 * detectors see smoke rise over a minute and then alarm, heat elements heat at 10 °C/min and alarm
 * at their class's temperature, and the manual call point is pressed after 90 s, until `for` ends
 * (then the panel is reset). Needs two devices in the zone: GB 50116-2013 §4.1.6 confirms a fire
 * only on two independent triggers.
 *
 * @example fireIncident(incident, ctx).truth.expect // { ruleIds: ['fire.confirmed'], severity: 'P1', floor: 12 }
 */
export const fireIncident: IncidentHandler<'fire'> = (inc, ctx): PreparedIncident => {
  const b = buildingOf(ctx, inc.building)
  if (inc.floor === 0 || inc.floor > b.floors || inc.floor < -b.basementFloors) {
    ctx.fail('floor', `building "${b.id}" has floors ${b.basementFloors > 0 ? -b.basementFloors : 1}..${b.floors} (no floor 0)`)
  }
  const onFloor = ctx.community.devices.flatMap((d) => d.kind === 'fire' && d.building === b.id && d.floor === inc.floor ? [d] : [])
  const zones = [...new Set(onFloor.map((d) => d.zone))]
  if (zones.length === 0) ctx.fail('floor', `floor ${inc.floor} of "${b.id}" has no fire detectors`)
  if (inc.zone !== undefined && !zones.includes(inc.zone)) ctx.fail('zone', `floor ${inc.floor} of "${b.id}" has zones ${zones.join(', ')}`)
  if (inc.zone === undefined && zones.length > 1) ctx.fail('zone', `floor ${inc.floor} of "${b.id}" has zones ${zones.join(', ')}: name one`)
  const zone = inc.zone ?? zones[0]!
  const devices = onFloor.filter((d) => d.zone === zone)
  if (devices.length < 2) {
    ctx.fail('floor', `zone "${zone}" has one device only (${devices[0]!.id}): a fire there cannot be confirmed by two triggers (GB 50116-2013 §4.1.6)`)
  }
  if (inc.untilMs - inc.atMs < MIN_FOR_MS) ctx.fail('for', 'a fire needs at least 3m for its second trigger')
  if (inc.atMs + MIN_FOR_MS > ctx.scenario.endMs) ctx.fail('at', 'starts less than 3m before the run ends: the fire cannot be confirmed')
  const settings = ctx.community.analytics.fire
  const rng = createRng(ctx.seed)
  const injections = devices.flatMap((d) => {
    const alarmC = settings.fixedTemperatureC[d.heatClass ?? settings.defaultHeatClass]
    return detectorInjections(d, inc.atMs, inc.untilMs, alarmC, rng).map((injection) => ({ deviceId: d.id, injection }))
  })
  return {
    injections,
    faults: [],
    truth: {
      id: inc.id,
      type: 'fire',
      category: 'fire',
      lifeSafety: true,
      startMs: inc.atMs,
      endMs: endOf(inc, ctx),
      match: { building: b.id, zone, devices: devices.map((d) => d.id) },
      expect: { ruleIds: ['fire.confirmed'], severity: 'P1', floor: inc.floor }
    }
  }
}
