import type { CommunityContext } from '../core/context.ts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../core/no-signals.ts'
import { HEALTH_GATEWAY_OFFLINE, HEALTH_OFFLINE } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'
import type { GapCause } from './create-seq-gap-tracker.ts'
import { offlineInventory, type Dev, type Link, type Outage, type OutageSpan } from './offline-inventory.ts'

/** Liveness of every gateway and periodic device; times are measurement time, ms, unless named wall (`recv`). */
export interface OfflineTracker {
  /** A sign of life (telemetry, heartbeat) through `link`, from `device` when it is about one, arrived at wall time `recv`. */
  heard: (link: string, device: string | undefined, at: number, recv?: number) => Signal[]
  /** A presence message; without `device` it is the client's own (its last will when `offline`). */
  status: (client: string, device: string | undefined, state: 'online' | 'offline', at: number, reason?: string, recv?: number) => Signal[]
  tick: (nowMs: number) => Signal[]
  /**
   * Why data of `device` is missing between `fromMs` and `toMs`: an alerted outage of the device
   * or its gateway overlaps it (`'outage'`: its consequence, already alerted), or its gateway
   * was in doubt then without going offline (that gateway), or nothing known (undefined).
   */
  cause: GapCause
  /** The latest tick's time, if any: the measurement clock as the tracker knows it. */
  readonly now: number | undefined
}

/**
 * Offline detection on measurement time. One outage is one alert: a device whose gateway has not
 * been heard since the device's next report fell due waits for the gateway's own verdict, and a
 * gateway that goes offline covers its devices (values `devicesBehind`) instead of raising one
 * alert per device; once back (or heard again after being in doubt) its devices' missed reports
 * count from its return. Never-heard clients and devices count their silence from the first tick.
 *
 * Ticks may lag: the pipeline's measurement clock (the 3rd latest device time) stalls while fewer
 * than 3 devices report, e.g. a small site with its only gateway down. A sign of life after a
 * silence longer than the limit that no tick saw is an outage all the same: it is raised, dated
 * when the limit passed, and cleared by that sign of life. Late ticks (not after the latest) do nothing.
 *
 * Delivery stalls: a silence must also have lasted `stallMs` of wall-clock time (arrival times,
 * `recv`; the wall clock's "now" is the latest arrival). Each MQTT connection has its own queues,
 * so one gateway's messages may trail the others' by a few hundred wall ms, and the measurement
 * clock follows the fastest. In real time that is nothing against limits of 30 s and more, which
 * hold as configured; in a 600× replay 300 wall ms are 3 minutes of measurement time, a fire
 * detector's whole limit, and a silence must last 600 × 2 s = 20 minutes there to be believed.
 * Without arrival times (none recorded yet) only measurement time counts.
 *
 * A planned shutdown (status `offline`, reason `shutdown`, protocol §4.1) is not an outage yet:
 * the client said goodbye, so it counts as a sign of life, and if it is not back within its limit
 * the silence rule raises it (cause `shutdown`). A last will is an unplanned drop: raised at once.
 *
 * @example
 * const offline = createOfflineTracker(ctx, createHealthSubjects(ctx), 2000)
 * offline.heard('GW-B01', 'B01-F12-S01', msg.ts, receivedAt); const signals = offline.tick(watermark)
 */
export function createOfflineTracker (ctx: CommunityContext, subjects: HealthSubjects, stallMs = 0): OfflineTracker {
  const { links, devices } = offlineInventory(ctx, subjects)
  let start: number | undefined
  let now: number | undefined
  /** The latest arrival time, and the one at the first tick (never-heard subjects count from it). */
  let wallNow: number | undefined
  let wallStart: number | undefined

  // A silent fire detector is a hole in fire coverage, not just maintenance.
  const severity = (subject: HealthSubject) => subject.kind === 'fire' ? { severity: 'P3' as const } : {}
  const overlaps = (span: OutageSpan | undefined, fromMs: number, toMs: number): boolean =>
    span !== undefined && span.from < toMs && span.to > fromMs
  /** Wall-clock silence of a link or device at wall time `wall` (Infinity when arrival times are unknown). */
  const wallSilence = (x: Link | Dev, wall: number | undefined): number => {
    const from = x.lastRecv ?? wallStart
    return wall === undefined || from === undefined ? Infinity : wall - from
  }
  const stalled = (x: Link | Dev, wall: number | undefined): boolean => wallSilence(x, wall) < stallMs
  const silenceCause = (x: Link | Dev): Outage['cause'] => x.leaving === true ? 'shutdown' : 'silence'

  function begin (x: Link | Dev, since: number, cause: Outage['cause']): void {
    x.open = { since, cause }
    x.span = { from: Math.min(x.lastSeen ?? start ?? since, since), to: Infinity }
  }

  /** Ends an open outage; returns the clear time (never before it opened: backfilled data is older). */
  function end (x: Link | Dev, at: number): number {
    const clearAt = Math.max(at, x.open!.since)
    x.open = undefined
    x.span!.to = clearAt
    return clearAt
  }

  // Values hold measurement time only: a replay at another speed must explain its alerts alike.
  function raiseLink (link: Link, at: number, reason?: string): Signal {
    const from = Math.min(link.lastSeen ?? start ?? at, at)
    const values = { cause: link.open!.cause, reason: reason ?? null, silentForMs: at - from, lastSeenAt: link.lastSeen ?? null, limitMs: link.limitMs }
    if (link.direct) return subjects.raise(HEALTH_OFFLINE, link.subject, { at, values, fromMs: from, toMs: at, ...severity(link.subject) })
    return subjects.raise(HEALTH_GATEWAY_OFFLINE, link.subject, {
      at,
      values: { ...values, devicesBehind: link.behind, devicesAlreadyOffline: link.devices.filter((d) => d.open !== undefined).length },
      fromMs: from,
      toMs: at,
      title: `Gateway offline: ${link.subject.id} (${link.behind} devices unheard)`
    })
  }

  function raiseDevice (dev: Dev, at: number, values: Record<string, number | string | null>): Signal {
    const from = Math.min(dev.lastSeen ?? start ?? at, at)
    return subjects.raise(HEALTH_OFFLINE, dev.subject, { at, values, fromMs: from, toMs: at, ...severity(dev.subject) })
  }

  /**
   * The start of a device's silence when, at `at` (wall time `wall`), it is an outage of its own:
   * longer than its limit and than a delivery stall, and its gateway (last heard at `linkSeen`)
   * vouches for it by having been heard after the device's next report fell due; otherwise the
   * gateway may be down too and its rule decides.
   */
  function silentAlone (dev: Dev, at: number, wall: number | undefined, linkSeen: number | undefined): number | undefined {
    if (start === undefined || dev.open !== undefined || dev.link.open !== undefined) return undefined
    const last = Math.max(dev.lastSeen ?? start, dev.graceFrom ?? -Infinity)
    if (at - last <= dev.limitMs || (linkSeen ?? -Infinity) <= last + dev.intervalMs || stalled(dev, wall)) return undefined
    return overlaps(dev.link.span, last, at) ? undefined : last
  }

  const grace = (link: Link, from: number): void => {
    for (const d of link.devices) d.graceFrom = Math.max(d.graceFrom ?? from, from)
  }

  function heardLink (link: Link, at: number, recv: number | undefined, out: Signal[]): void {
    const before = link.lastSeen
    if (link.open === undefined && start !== undefined && at - (before ?? start) > link.limitMs && !stalled(link, recv)) {
      const due = (before ?? start) + link.limitMs
      begin(link, due, silenceCause(link))
      out.push(raiseLink(link, due))
    }
    if (link.open !== undefined) {
      const clearAt = end(link, at)
      out.push(subjects.clear(link.direct ? HEALTH_OFFLINE : HEALTH_GATEWAY_OFFLINE, link.subject.id, clearAt))
      grace(link, Math.max(clearAt, now ?? clearAt))
    } else if (before !== undefined && at - before > link.doubtMs) {
      link.blip = { from: before, to: at }
      grace(link, at)
    }
    link.lastSeen = Math.max(before ?? at, at)
    link.lastRecv = recv ?? link.lastRecv
    link.leaving = undefined
  }

  function heardDevice (dev: Dev, at: number, recv: number | undefined, linkSeen: number | undefined, out: Signal[]): void {
    const last = silentAlone(dev, at, recv, linkSeen)
    if (last !== undefined) {
      const cause = silenceCause(dev)
      begin(dev, last + dev.limitMs, cause)
      out.push(raiseDevice(dev, last + dev.limitMs, { cause, silentForMs: dev.limitMs, lastSeenAt: dev.lastSeen ?? null, limitMs: dev.limitMs }))
    }
    if (dev.open !== undefined) out.push(subjects.clear(HEALTH_OFFLINE, dev.subject.id, end(dev, at)))
    dev.lastSeen = Math.max(dev.lastSeen ?? at, at)
    dev.lastRecv = recv ?? dev.lastRecv
    dev.leaving = undefined
  }

  function heardInto (linkId: string, device: string | undefined, at: number, recv: number | undefined, out: Signal[]): void {
    if (recv !== undefined) wallNow = Math.max(wallNow ?? recv, recv)
    const link = links.get(linkId)
    const linkSeen = link?.lastSeen
    if (link) heardLink(link, at, recv, out)
    const dev = device === undefined ? undefined : devices.get(device)
    if (dev) heardDevice(dev, at, recv, linkSeen, out)
  }

  // Every message is a sign of life and almost none changes anything: collect into one buffer
  // and hand out a copy only when something happened.
  const scratch: Signal[] = []
  function heard (linkId: string, device: string | undefined, at: number, recv?: number): Signal[] {
    heardInto(linkId, device, at, recv, scratch)
    return scratch.length === 0 ? NO_SIGNALS : scratch.splice(0)
  }

  return {
    get now () { return now },
    heard,
    cause (device, fromMs, toMs) {
      const dev = devices.get(device)
      const link = dev?.link ?? links.get(device)
      if (overlaps(dev?.span, fromMs, toMs) || overlaps(link?.span, fromMs, toMs)) return 'outage'
      return link !== undefined && !link.direct && overlaps(link.blip, fromMs, toMs) ? link.subject : undefined
    },
    status (client, device, state, at, reason, recv) {
      if (state === 'online') return heard(client, device, at, recv)
      const planned = reason === 'shutdown'
      if (device !== undefined && device !== client) {
        // The gateway relayed it, so the gateway itself is alive.
        const out: Signal[] = []
        heardInto(client, planned ? device : undefined, at, recv, out)
        const dev = devices.get(device)
        if (dev === undefined || dev.open !== undefined) return out
        if (planned) {
          dev.leaving = true
          return out
        }
        begin(dev, at, 'status')
        out.push(raiseDevice(dev, at, { cause: 'status', reason: reason ?? null, lastSeenAt: dev.lastSeen ?? null }))
        return out
      }
      const link = links.get(client)
      if (link === undefined || link.open !== undefined) return NO_SIGNALS
      if (planned) {
        const out = heard(client, undefined, at, recv)
        link.leaving = true
        return out
      }
      begin(link, at, 'last-will')
      return [raiseLink(link, at, reason)]
    },
    tick (nowMs) {
      if (now !== undefined && nowMs <= now) return NO_SIGNALS
      start ??= nowMs
      wallStart ??= wallNow
      now = nowMs
      const out: Signal[] = []
      // Gateways first, so that devices behind a gateway going down now are covered by it.
      for (const link of links.values()) {
        if (link.open !== undefined || nowMs - (link.lastSeen ?? start) <= link.limitMs || stalled(link, wallNow)) continue
        begin(link, nowMs, silenceCause(link))
        out.push(raiseLink(link, nowMs))
      }
      for (const dev of devices.values()) {
        const last = silentAlone(dev, nowMs, wallNow, dev.link.lastSeen)
        if (last === undefined) continue
        const cause = silenceCause(dev)
        begin(dev, nowMs, cause)
        out.push(raiseDevice(dev, nowMs, { cause, silentForMs: nowMs - last, lastSeenAt: dev.lastSeen ?? null, limitMs: dev.limitMs }))
      }
      return out
    }
  }
}
