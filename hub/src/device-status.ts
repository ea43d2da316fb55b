import type { Device, HealthSettings } from '@gangwan/contracts'
import type { DeviceState } from '@gangwan/dashboard'

/** When the hub last heard from each source (epoch ms of the message's measurement time). */
export interface LastHeard {
  /** A device's latest telemetry or heartbeat. */
  device: (id: string) => number | undefined
  /** A gateway's latest heartbeat. */
  gateway: (id: string) => number | undefined
}

/** What a device's status is judged from: the time of its evidence and how often evidence is due. */
export interface StatusEvidence {
  lastMs: number | undefined
  intervalMs: number
}

/**
 * What stands for a device's liveness. A device that reports periodically (fire, elevator, fume,
 * noise) stands for itself, at its kind's `reportIntervalMs`. A falling-object camera reports only
 * events, so silence says nothing: its gateway's heartbeat stands in (its own, when it connects
 * directly), at `heartbeatIntervalMs` — the same stand-in analytics' offline rule uses.
 */
export function statusEvidence (device: Device, health: HealthSettings, heard: LastHeard): StatusEvidence {
  if (device.kind === 'falling_object') {
    const lastMs = device.gateway === undefined ? heard.device(device.id) : heard.gateway(device.gateway)
    return { lastMs, intervalMs: health.heartbeatIntervalMs }
  }
  return { lastMs: heard.device(device.id), intervalMs: health.reportIntervalMs[device.kind] }
}

/**
 * The status rule: `online` while the latest evidence is at most `offlineAfterMissed` intervals old
 * (3 by default: one late or lost report is no outage), `offline` once older, `unknown` when there
 * is none in the window the hub looked at. Evidence from the future (a device clock ahead) counts as
 * fresh: a skewed clock is a device-health alert of its own, not an outage.
 *
 * @example deviceState({ lastMs: now - 200_000, intervalMs: 60_000 }, 3, now) // 'offline'
 */
export function deviceState (e: StatusEvidence, offlineAfterMissed: number, now: number): DeviceState {
  if (e.lastMs === undefined) return 'unknown'
  return now - e.lastMs <= offlineAfterMissed * e.intervalMs ? 'online' : 'offline'
}
