import type { HealthSettings } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../core/no-signals.ts'
import type { ClockReference } from './create-clock-reference.ts'
import { HEALTH_CLOCK_SKEW } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

interface SkewState {
  /** Offsets (ms) and community times of the latest consecutive messages beyond the limit, at most `clockSkewMessages`. */
  run: { offset: number, at: number }[]
  /** Consecutive messages beyond the limit, and the wall time the first of them arrived. */
  count: number
  sinceRecv: number
  /** Consecutive messages within the limit while the alert is open, and the wall time the first of them arrived. */
  ok: number
  okSinceRecv: number
  open: boolean
}

/** Flags devices and gateways whose clock is off the community's. */
export interface ClockSkewTracker {
  /**
   * A message of `subject` with its measurement time `ts` and arrival wall time `recv`, through
   * the MQTT connection of `link` (its gateway, or itself for a direct device).
   */
  observe: (subject: HealthSubject, ts: number, recv: number, link?: string) => Signal[]
}

/**
 * GB 50440-2007 wants device and centre clocks within 5 s (`health.maxClockSkewMs`). The offset of
 * each message comes from a clock reference (see createClockReference: robust to time-compressed
 * replays and to a minority of bad clocks): that of the other sources on the same connection
 * (`linkReference(link)`: the gateway's devices and heartbeat) where it has enough of them, else
 * the community's (`reference`). Messages through one connection share its queues, so a backlog
 * that delays a whole gateway shifts its sources alike and none of them stands out; a device clock
 * that is off does. A source judged against the community (a direct device, a gateway with too
 * few devices) may be showing its connection's delay: its offset must last `health.connectionLagMs`
 * of wall time (a backlog drains sooner; three reports of a real-time device take longer anyway).
 * (A whole gateway's sources off by one amount look like its connection's delay and are not
 * flagged: that is the GB 50440-2007 20 s receive-and-display budget's concern.) Raised after `clockSkewMessages` consecutive messages beyond
 * the limit whose offsets agree within the limit: a real skew is steady, whereas a spool backfill
 * arrives ever less late (each message one report interval nearer), so it is delay, not skew. A
 * clock behind by a steady amount and a steady delivery delay look alike; both break the
 * GB 50440-2007 20 s receive-and-display budget if large. Cleared after as many messages within
 * the limit (and as long in wall time as a raise needs, below). The alert's time is the community
 * clock, not the device's own `ts`.
 *
 * An offset is measured against arrival times, so it cannot be finer than their jitter times the
 * speed s of the measurement clock (measurement ms per wall ms, from the reference): the limit
 * (and the agreement of the offsets) is widened by s × `health.arrivalJitterMs`, and the offsets
 * must stay beyond it for `health.deliveryStallMs` of wall time, the longest stall of a delivery
 * path (a queue that builds and drains delays every message behind it for a while). In real time
 * (s = 1) that is 0.1 s on 5 s, and any run of 3 reports lasts far longer than 2 s; in a 600×
 * replay 100 ms of jitter between two MQTT connections is a minute of measurement time.
 *
 * @example
 * const links = new Map<string, ClockReference>()
 * const skew = createClockSkewTracker(ctx.settings.health, subjects, createClockReference(), (id) => links.get(id) ?? ...)
 * skew.observe(subject, msg.ts, obs.receivedAt, obs.gateway)
 */
export function createClockSkewTracker (s: HealthSettings, subjects: HealthSubjects, reference: ClockReference, linkReference?: (link: string) => ClockReference): ClockSkewTracker {
  const state = new Map<string, SkewState>()
  const n = s.clockSkewMessages
  return {
    observe (subject, ts, recv, link) {
      const community = reference.observe(subject.id, ts, recv)
      const own = link !== undefined && linkReference !== undefined ? linkReference(link).observe(subject.id, ts, recv) : undefined
      const offset = own ?? community
      if (offset === undefined) return NO_SIGNALS
      // Against the community, the offset may be the whole connection's delay: wait longer.
      const persistMs = own !== undefined ? s.deliveryStallMs : Math.max(s.deliveryStallMs, s.connectionLagMs)
      let st = state.get(subject.id)
      if (st === undefined) {
        st = { run: [], count: 0, sinceRecv: recv, ok: 0, okSinceRecv: recv, open: false }
        state.set(subject.id, st)
      }
      const at = ts - (community ?? offset)
      const limit = s.maxClockSkewMs + Math.max(1, reference.slope() ?? 1) * s.arrivalJitterMs
      if (Math.abs(offset) <= limit) {
        // Emptied in place: a healthy clock is every message, and a new array for each adds up.
        if (st.run.length > 0) st.run.length = 0
        st.count = 0
        if (!st.open) return NO_SIGNALS
        if (st.ok++ === 0) st.okSinceRecv = recv
        if (st.ok < n || recv - st.okSinceRecv < persistMs) return NO_SIGNALS
        st.open = false
        st.ok = 0
        return [subjects.clear(HEALTH_CLOCK_SKEW, subject.id, at)]
      }
      st.ok = 0
      if (st.count++ === 0) st.sinceRecv = recv
      st.run.push({ offset, at })
      if (st.run.length > n) st.run.shift()
      if (st.open || st.run.length < n || recv - st.sinceRecv < persistMs) return NO_SIGNALS
      const offsets = st.run.map((r) => r.offset)
      const lo = Math.min(...offsets)
      const hi = Math.max(...offsets)
      if (hi - lo > limit) return NO_SIGNALS
      st.open = true
      const skewMs = Math.round(offsets.reduce((a, b) => a + b, 0) / n)
      return [subjects.raise(HEALTH_CLOCK_SKEW, subject, {
        at,
        values: { skewMs, limitMs: s.maxClockSkewMs, allowedMs: Math.round(limit), messages: st.count, deviceTs: ts, communityTs: Math.round(at) },
        fromMs: st.run[0]!.at,
        toMs: at,
        title: `Clock ${skewMs > 0 ? 'ahead' : 'behind'} by ${Math.round(Math.abs(skewMs) / 1000)} s: ${subject.id}`
      })]
    }
  }
}
