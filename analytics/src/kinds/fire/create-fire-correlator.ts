import type { AlertLocation } from '@gangwan/contracts'
import type { CommunityContext } from '../../core/context.ts'
import type { Correlator } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import { NO_SIGNALS } from '../../core/no-signals.ts'
import type { TriggerValue } from './fire-rule.ts'
import { FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE } from './heat-rules.ts'
import { DETECTOR_ALARM_RULE, MANUAL_CALL_RULE, SMOKE_RULE } from './smoke-rules.ts'

/** GB 50116-2013 §4.1.6: a fire is confirmed by the AND of two independent alarm triggers. */
export const CONFIRMED_FIRE_RULE: RuleInfo = {
  id: 'fire.confirmed',
  version: '1',
  category: 'fire',
  severity: 'P1',
  clause: 'GB 50116-2013 §4.1.6 (double knock: AND of two independent alarm triggers); §4.6 (two detectors, or a detector and a manual call point)',
  title: 'Confirmed fire',
  description: 'Triggers (smoke, detector alarm, heat, rate of rise, manual call point) from two different devices of one fire zone (`building/zone`), each active or active within `confirmWindowMs` of the other. Location is the first detector\'s; values list every contributing device and its readings. Clears once no device of the zone has triggered for `confirmWindowMs`.'
}

/** The per-device rules whose activity counts as an alarm trigger. */
const TRIGGERS = new Set([SMOKE_RULE, DETECTOR_ALARM_RULE, FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE, MANUAL_CALL_RULE].map((r) => r.info.id))

interface DeviceTrigger {
  /** Trigger rules holding now. */
  active: Set<string>
  /** Trigger rules seen in this episode, and their latest values. */
  rules: Set<string>
  values: Record<string, TriggerValue>
  location: AlertLocation
  firstAt: number
  /** Last measurement time it was seen triggering (its last active signal, or its clear). */
  lastAt: number
}

interface Zone {
  zone: string
  devices: Map<string, DeviceTrigger>
  /** Set while the confirmed alert is open: the detector that triggered first. */
  confirmedBy?: string
}

/**
 * The double knock over fire zones: one trigger is a pre-alarm (the device rules' own P2 alerts),
 * a second from another device of the same zone confirms the fire (P1, subject `building/zone`).
 * Two detectors count as independent only if they are different devices: a multi-sensor's smoke
 * and its own heat element are one device. A device counts while it is triggering and for
 * `confirmWindowMs` after it last was, so a detector whose smoke cleared 10 minutes earlier does
 * not confirm a new one. Returns only its own signals; the devices' signals go on unchanged.
 *
 * @example
 * const c = createFireCorrelator(ctx)
 * c.accept(analyzerA.observe(msgA)) // [] (pre-alarm only)
 * c.accept(analyzerB.observe(msgB)) // [{ active: true, ruleId: 'fire.confirmed', subject: 'B01/B01-F12', severity: 'P1', ... }]
 */
export function createFireCorrelator (ctx: CommunityContext): Correlator {
  const windowMs = ctx.settings.fire.confirmWindowMs
  const zones = new Map<string, Zone>()

  /** Forgets quiet devices; clears the zone's alert once none is left. */
  function expire (key: string, z: Zone, now: number, out: Signal[]): void {
    let lastQuiet = -Infinity
    for (const [id, d] of z.devices) {
      if (d.active.size === 0 && now - d.lastAt >= windowMs) {
        z.devices.delete(id)
        lastQuiet = Math.max(lastQuiet, d.lastAt)
      }
    }
    if (z.devices.size > 0) return
    // The zone fell quiet `windowMs` after its last trigger: that is when the alert clears.
    if (z.confirmedBy !== undefined) out.push({ active: false, at: lastQuiet + windowMs, ruleId: CONFIRMED_FIRE_RULE.id, subject: key })
    zones.delete(key)
  }

  function record (s: Signal, out: Signal[]): string | undefined {
    if (!TRIGGERS.has(s.ruleId)) return undefined
    const dc = ctx.device(s.subject)
    if (dc?.device.kind !== 'fire') return undefined
    const key = `${dc.building.id}/${dc.device.zone}`
    const known = zones.get(key)
    // Age the zone to this signal first: a confirmation that timed out stays cleared.
    if (known !== undefined) expire(key, known, s.at, out)
    let z = zones.get(key)
    if (z === undefined) {
      if (!s.active) return undefined
      z = { zone: dc.device.zone, devices: new Map() }
      zones.set(key, z)
    }
    let d = z.devices.get(s.subject)
    if (s.active) {
      if (d === undefined) {
        d = { active: new Set(), rules: new Set(), values: {}, location: dc.location, firstAt: s.at, lastAt: s.at }
        z.devices.set(s.subject, d)
      }
      d.active.add(s.ruleId)
      d.rules.add(s.ruleId)
      Object.assign(d.values, s.trigger.values)
      d.lastAt = Math.max(d.lastAt, s.at)
    } else if (d !== undefined) {
      d.active.delete(s.ruleId)
      d.lastAt = Math.max(d.lastAt, s.at)
    }
    return key
  }

  function confirmed (key: string, z: Zone, at: number): Signal {
    const devices = [...z.devices].sort((a, b) => a[1].firstAt - b[1].firstAt)
    const [firstId, first] = devices[0]!
    z.confirmedBy ??= firstId
    const values: Record<string, TriggerValue> = { devices: devices.map(([id]) => id).join(','), triggers: devices.length }
    for (const [id, d] of devices) {
      values[`${id}.rules`] = [...d.rules].join(',')
      for (const [k, v] of Object.entries(d.values)) values[`${id}.${k}`] = v
    }
    const info = CONFIRMED_FIRE_RULE
    return {
      active: true,
      at,
      ruleId: info.id,
      subject: key,
      kind: 'fire',
      category: info.category,
      severity: info.severity,
      title: `${info.title} in zone ${z.zone}`,
      source: { type: 'rule', id: info.id, version: info.version, clause: info.clause },
      trigger: { values, window: { fromMs: first.firstAt, toMs: at } },
      location: z.devices.get(z.confirmedBy)?.location ?? first.location
    }
  }

  return {
    accept (signals) {
      // Nearly every message of a detector changes nothing: its analyzer returned no signals.
      if (signals.length === 0) return NO_SIGNALS
      const out: Signal[] = []
      const touched = new Map<string, number>()
      for (const s of signals) {
        const key = record(s, out)
        if (key !== undefined && s.active) touched.set(key, Math.max(touched.get(key) ?? -Infinity, s.at))
      }
      for (const [key, at] of touched) {
        const z = zones.get(key)
        if (z === undefined) continue
        const anyActive = [...z.devices.values()].some((d) => d.active.size > 0)
        if (z.confirmedBy !== undefined || (z.devices.size >= 2 && anyActive)) out.push(confirmed(key, z, at))
      }
      return out
    },
    tick (nowMs) {
      if (zones.size === 0) return NO_SIGNALS
      const out: Signal[] = []
      for (const [key, z] of zones) expire(key, z, nowMs, out)
      return out
    }
  }
}
