import type { CommunityContext } from '../core/context.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

/** An outage as it is being alerted; `since` is measurement time, ms. */
export interface Outage { since: number, cause: 'silence' | 'last-will' | 'status' | 'shutdown' }

/** Measurement time from the last sign of life before an outage to its end (open: Infinity). */
export interface OutageSpan { from: number, to: number }

/** A client of the hub: a gateway, or a device with its own uplink (`direct`, the gateway of itself). */
export interface Link {
  subject: HealthSubject
  direct: boolean
  /** Silence longer than this (measurement ms) is an outage. */
  limitMs: number
  /** Silence longer than this (one and a half heartbeats) puts the link in doubt. */
  doubtMs: number
  /** Its periodic devices. */
  devices: Dev[]
  /** Devices behind it in the inventory, periodic or not (cameras report only events). */
  behind: number
  lastSeen?: number
  /** Wall-clock time (receivedAt) it was last heard. */
  lastRecv?: number
  open?: Outage
  /** The latest outage, open or over. */
  span?: OutageSpan
  /** The latest silence in doubt that ended before the limit: from its last sign of life to its return. */
  blip?: OutageSpan
  /** It announced a planned shutdown (status `offline`, reason `shutdown`) and has not been heard since. */
  leaving?: boolean
}

/** A device behind a gateway that reports periodically. */
export interface Dev {
  subject: HealthSubject
  link: Link
  intervalMs: number
  limitMs: number
  lastSeen?: number
  /** Wall-clock time (receivedAt) it was last heard. */
  lastRecv?: number
  /** Its gateway came back (or out of doubt) then: missed reports count from here, not from before. */
  graceFrom?: number
  open?: Outage
  span?: OutageSpan
  /** Its gateway relayed a planned shutdown of it and it has not been heard since. */
  leaving?: boolean
}

/**
 * The links and periodic devices of the community file with their offline limits
 * (`health.offlineAfterMissed` × the expected interval). Cameras report only events, so they have
 * no limit of their own; their gateway's heartbeat stands in for them.
 *
 * @example const { links, devices } = offlineInventory(ctx, subjects); links.get('GW-B01')?.behind
 */
export function offlineInventory (ctx: CommunityContext, subjects: HealthSubjects): { links: Map<string, Link>, devices: Map<string, Dev> } {
  const s = ctx.settings.health
  const interval = s.reportIntervalMs as Partial<Record<string, number>>
  const doubtMs = 1.5 * s.heartbeatIntervalMs
  const links = new Map<string, Link>()
  const devices = new Map<string, Dev>()
  for (const g of ctx.community.gateways) {
    const subject = subjects.get(g.id)
    if (subject) links.set(g.id, { subject, direct: false, limitMs: s.offlineAfterMissed * s.heartbeatIntervalMs, doubtMs, devices: [], behind: 0 })
  }
  for (const d of ctx.community.devices) {
    const subject = subjects.get(d.id)
    const every = interval[d.kind]
    if (subject === undefined) continue
    if (d.gateway === undefined) {
      // Telemetry and heartbeats both prove a direct device alive; wait for the slower of the two
      // so that a device sending only one of them is not called offline.
      const limitMs = s.offlineAfterMissed * Math.max(every ?? 0, s.heartbeatIntervalMs)
      links.set(d.id, { subject, direct: true, limitMs, doubtMs, devices: [], behind: 0 })
      continue
    }
    const link = links.get(d.gateway)
    if (link === undefined) continue
    link.behind++
    if (every !== undefined) {
      const dev: Dev = { subject, link, intervalMs: every, limitMs: s.offlineAfterMissed * every }
      link.devices.push(dev)
      devices.set(d.id, dev)
    }
  }
  return { links, devices }
}
