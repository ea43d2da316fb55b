import { GangwanError, type AlertCategory, type DeviceKind, type Severity } from '@gangwan/contracts'
import type { z } from 'zod'
import { parseFaults } from '../../faults/create-fault-injector.ts'
import {
  DoorWearFaultSchema, DriftFaultSchema, DropoutFaultSchema, PurifierWearFaultSchema, SmoulderFaultSchema, SpikeFaultSchema, StuckFaultSchema,
  type FaultSpec, type FaultSpecInput
} from '../../faults/fault-spec.ts'
import type { FireInjection } from '../../kinds/fire.ts'
import { parseScenarioDuration } from '../scenario-time.ts'
import { deviceOf, endOf, type IncidentContext, type IncidentHandler, type PreparedIncident } from './incident-context.ts'

// Pre-threshold patterns belong to their kind's category (the anomaly models' classes); sensor
// faults are device health.
const PATTERNS: Partial<Record<FaultSpec['type'], { category: AlertCategory; severity: Severity }>> = {
  smoulder: { category: 'fire', severity: 'P3' },
  door_wear: { category: 'elevator', severity: 'P4' },
  purifier_wear: { category: 'fume', severity: 'P4' }
}

/** The rules that can see a fault: the kind's anomaly model class, and the health monitor's own checks. */
function faultRules (kind: DeviceKind, spec: FaultSpec): string[] {
  if (kind === 'falling_object') return spec.type === 'spike' ? ['anomaly.falling_object.glitch'] : ['health.seq-gap']
  const ids = [`anomaly.${kind}.${spec.type}`]
  if (spec.type === 'stuck' && kind !== 'fume') ids.push('health.flat-line')
  if (spec.type === 'stuck' && kind === 'fume') ids.push('fume.probe-flat')
  if (spec.type === 'dropout' && spec.mode === 'lose') ids.push('health.seq-gap')
  // A smoke chamber drifting up is a dirty chamber to the fire rules (DOMAIN.md §1).
  if (spec.type === 'drift' && kind === 'fire' && [spec.field].flat().includes('smokeDbM')) ids.push('fire.dirty_chamber')
  return ids
}

// Each fault type's own schema, so a bad field is named rather than "no union member matched".
const SCHEMAS: Record<string, z.ZodType> = {
  stuck: StuckFaultSchema, drift: DriftFaultSchema, spike: SpikeFaultSchema, dropout: DropoutFaultSchema,
  smoulder: SmoulderFaultSchema, door_wear: DoorWearFaultSchema, purifier_wear: PurifierWearFaultSchema
}

function checkedFault (kind: DeviceKind, fault: Record<string, unknown>, fromMs: number, untilMs: number, ctx: IncidentContext): FaultSpec {
  for (const key of ['fromMs', 'untilMs']) if (key in fault) ctx.fail(`fault.${key}`, 'is set by the incident\'s at and for')
  const schema = SCHEMAS[String(fault.type)] ?? ctx.fail('fault.type', `is one of ${Object.keys(SCHEMAS).join(', ')}`)
  const r = schema.safeParse({ ...fault, fromMs, untilMs })
  if (!r.success) {
    const issue = r.error.issues[0]!
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : issue.path
    ctx.fail(['fault', ...path].join('.'), issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message)
  }
  try {
    return parseFaults(kind, [{ ...fault, fromMs, untilMs } as FaultSpecInput])[0]!
  } catch (err) {
    if (!(err instanceof GangwanError)) throw err
    // parseFaults names the list entry ("faults.0.field", "0.field"): name the incident's field instead.
    const text = err.message.replace(/^faults are invalid:\s*/, '').replace(/(^|\n)\s*(faults\.)?0\./g, '$1fault.').replace(/^faults\.0/, 'fault')
    const [field, ...rest] = text.split(': ')
    return ctx.fail(field!.startsWith('fault') ? field! : 'fault', rest.length > 0 ? rest.join(': ') : text)
  }
}

/**
 * A fault from simulators/src/faults on one device from `at` until `for` ends (default: the run's
 * end), applied to the device's messages as they leave the model. Stuck, drift, spike and dropout
 * are device health (P4); smoulder, door_wear and purifier_wear are their kind's pre-threshold
 * patterns.
 *
 * @example sensorFaultIncident(drift, ctx).faults // [{ deviceId: 'B01-F03-S01', faults: [{ type: 'drift', ... }] }]
 */
export const sensorFaultIncident: IncidentHandler<'sensor_fault'> = (inc, ctx): PreparedIncident => {
  const d = ctx.community.devices.find((x) => x.id === inc.device) ?? ctx.fail('device', `no device "${inc.device}" in community "${ctx.community.id}"`)
  const spec = checkedFault(d.kind, inc.fault, inc.atMs, inc.untilMs, ctx)
  const pattern = PATTERNS[spec.type]
  return {
    injections: [],
    faults: [{ deviceId: d.id, faults: [spec] }],
    truth: {
      id: inc.id,
      type: 'sensor_fault',
      category: pattern?.category ?? 'device_health',
      lifeSafety: false,
      startMs: inc.atMs,
      endMs: endOf(inc, ctx),
      match: { building: d.building, devices: [d.id] },
      expect: { ruleIds: faultRules(d.kind, spec), severity: pattern?.severity ?? 'P4' }
    }
  }
}

/**
 * A dusty smoke chamber (DOMAIN.md §1 "dirty chamber (drift)"): from `at` the clean-air reading
 * drifts up by `riseDbM` over `rampFor` (two drift faults: up, then level), past the 0.05 dB/m
 * pre-alarm, and at the end of the ramp the detector's own alarm trips, a false single-detector
 * alarm held until `for` ends (cleaned). The hub should see drift (device health) and must not
 * confirm a fire: nothing else in the zone triggers. Its pre-alarms (P2, P3) are allowed.
 *
 * @example dustyIncident(incident, ctx).truth.forbid // [{ category: 'fire', severity: 'P1' }]
 */
export const dustyIncident: IncidentHandler<'dusty_detector'> = (inc, ctx): PreparedIncident => {
  const d = deviceOf(ctx, inc.device, 'fire')
  if (d.detector !== 'smoke' && d.detector !== 'multi') ctx.fail('device', `"${d.id}" is a ${d.detector} detector: only smoke chambers get dusty`)
  // The schema has checked the duration already.
  const rampMs = parseScenarioDuration(inc.rampFor)!
  const alarmMs = inc.atMs + rampMs
  if (alarmMs >= inc.untilMs) ctx.fail('rampFor', 'must end before the incident does (for)')
  if (alarmMs >= ctx.scenario.endMs) ctx.fail('rampFor', 'must end before the run does')
  const ratePerHour = (inc.riseDbM * 3_600_000) / rampMs
  const faults: FaultSpecInput[] = [
    { type: 'drift', field: 'smokeDbM', ratePerHour, fromMs: inc.atMs, untilMs: inc.untilMs },
    { type: 'drift', field: 'smokeDbM', ratePerHour: -ratePerHour, fromMs: alarmMs, untilMs: inc.untilMs }
  ]
  const alarm: FireInjection = { fromMs: alarmMs, untilMs: inc.untilMs, alarm: true }
  return {
    injections: [{ deviceId: d.id, injection: alarm }],
    faults: [{ deviceId: d.id, faults }],
    truth: {
      id: inc.id,
      type: 'dusty_detector',
      category: 'device_health',
      lifeSafety: false,
      startMs: inc.atMs,
      endMs: endOf(inc, ctx),
      match: { building: d.building, zone: d.zone, devices: [d.id] },
      expect: { ruleIds: ['anomaly.fire.drift', 'fire.dirty_chamber'], severity: 'P4' },
      forbid: [{ category: 'fire', severity: 'P1' }],
      // One detector's pre-alarm (P2) or a model's "possible smouldering" (P3) is what one
      // dusty chamber may fairly cause; a confirmed fire (P1) needs a second, independent trigger.
      allow: [{ category: 'fire', severity: 'P2' }, { category: 'fire', severity: 'P3' }]
    }
  }
}
