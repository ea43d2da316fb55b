import type { CommunityContext } from '../core/context.ts'
import type { Observation } from '../core/observation.ts'
import type { RuleInfo } from '../core/rule-info.ts'
import type { Signal } from '../core/signal.ts'
import { createBatteryTracker } from './create-battery-tracker.ts'
import { createClockReference, type ClockReference, type ClockReferenceOptions } from './create-clock-reference.ts'
import { createClockSkewTracker } from './create-clock-skew-tracker.ts'
import { createFlatLineTracker } from './create-flat-line-tracker.ts'
import { createOfflineTracker } from './create-offline-tracker.ts'
import { createSeqGapTracker } from './create-seq-gap-tracker.ts'
import { HEALTH_RULES } from './health-rules.ts'
import { createHealthSubjects } from './health-subjects.ts'

/** Device health across the community: offline, lost data, clocks, stuck sensors, batteries. */
export interface HealthMonitor {
  /** Feeds one observation (any device, gateway or status); returns the signals it causes. */
  observe: (obs: Observation) => Signal[]
  /** Runs the offline timers on the community's measurement clock (epoch ms). */
  tick: (nowMs: number) => Signal[]
  /** The rules it applies (category `device_health`), for docs/analytics.md. */
  rules: RuleInfo[]
}

/** Test and tuning hooks of {@link createHealthMonitor}. */
export interface HealthMonitorOptions {
  clock?: Partial<ClockReferenceOptions>
}

/**
 * The device-health monitor of one community, with `ctx.settings.health` (see HEALTH_RULES for
 * each rule, its clause and its clear condition). Subjects are device ids, or gateway ids for what
 * is the gateway's own: its outage, its heartbeat's clock and battery, data lost during its brief
 * silence. Pure apart from its state: measurement time comes from the messages and from `tick`;
 * the wall clock appears only as `receivedAt`, for the clock-skew reference (and, through it, the
 * time of a last will, which carries none, and the measurement clock's speed, which scales
 * `health.arrivalJitterMs` for a replay) and for `health.deliveryStallMs`: a silence or a clock
 * offset must outlast a stall of the delivery path in wall time, which matters only when
 * measurement time is compressed (a 600× replay turns 300 ms of queueing into 3 minutes).
 *
 * @example
 * const health = createHealthMonitor(ctx)
 * emit(health.observe(obs)) // per observation
 * emit(health.tick(watermark)) // per tick of the measurement clock
 */
export function createHealthMonitor (ctx: CommunityContext, options: HealthMonitorOptions = {}): HealthMonitor {
  const s = ctx.settings.health
  const subjects = createHealthSubjects(ctx)
  const reference = createClockReference(options.clock)
  const offline = createOfflineTracker(ctx, subjects, s.deliveryStallMs)
  const gaps = createSeqGapTracker(s, subjects, offline.cause)
  // One reference per MQTT connection as well: its sources share its queues (see the skew tracker).
  const linkReferences = new Map<string, ClockReference>()
  const linkReference = (link: string): ClockReference => {
    let r = linkReferences.get(link)
    if (r === undefined) linkReferences.set(link, r = createClockReference(options.clock))
    return r
  }
  const skew = createClockSkewTracker(s, subjects, reference, linkReference)
  const flat = createFlatLineTracker(s, subjects)
  const battery = createBatteryTracker(ctx.settings, subjects)

  /** Measurement time of a message that carries none (a last will is fixed at connect time). */
  const measurementNow = (recv: number): number => reference.at(recv) ?? offline.now ?? recv

  /**
   * Joins the trackers' answers. Nearly every message gets none from any of them, and each then
   * returns the shared empty array, so nothing is allocated unless something happened.
   */
  function join (a: Signal[], b: Signal[]): Signal[] {
    if (b.length === 0) return a
    if (a.length === 0) return b
    return [...a, ...b]
  }

  function observe (obs: Observation): Signal[] {
    switch (obs.type) {
      case 'telemetry': {
        const { msg } = obs
        let out = offline.heard(obs.gateway, obs.device, msg.ts, obs.receivedAt)
        const subject = subjects.get(obs.device)
        if (subject === undefined) return out
        out = join(out, gaps.observe(subject, obs.gateway, msg.seq, msg.ts))
        out = join(out, skew.observe(subject, msg.ts, obs.receivedAt, obs.gateway))
        out = join(out, flat.observe(subject, msg))
        if (msg.kind === 'fire' && msg.batteryPct !== undefined) out = join(out, battery.observe(subject, msg.batteryPct, msg.ts))
        return out
      }
      case 'heartbeat': {
        const hb = obs.heartbeat
        let out = offline.heard(obs.client, obs.device, hb.ts, obs.receivedAt)
        // Heartbeats have their own seq counter; their gaps say nothing about lost data.
        const subject = subjects.get(obs.device ?? obs.client)
        if (subject === undefined) return out
        out = join(out, skew.observe(subject, hb.ts, obs.receivedAt, obs.client))
        if (hb.batteryPct !== undefined) out = join(out, battery.observe(subject, hb.batteryPct, hb.ts))
        return out
      }
      case 'status': {
        const at = obs.status.ts ?? measurementNow(obs.receivedAt)
        return offline.status(obs.client, obs.device, obs.status.state, at, obs.status.reason, obs.receivedAt)
      }
    }
  }

  return { observe, tick: (nowMs) => offline.tick(nowMs), rules: [...HEALTH_RULES] }
}
