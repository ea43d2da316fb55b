import type { HealthSettings } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../kinds/no-signals.ts'
import type { ClockReference } from './create-clock-reference.ts'
import { HEALTH_CLOCK_SKEW } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

interface SkewState {
  /** Offsets (ms) and community times of the latest consecutive messages beyond the limit, at most `clockSkewMessages`. */
  run: { offset: number, at: number }[]
  /** Consecutive messages within the limit while the alert is open. */
  ok: number
  open: boolean
}

/** Flags devices and gateways whose clock is off the community's. */
export interface ClockSkewTracker {
  /** A message of `subject` with its measurement time `ts` and arrival wall time `recv`. */
  observe: (subject: HealthSubject, ts: number, recv: number) => Signal[]
}

/**
 * GB 50440-2007 wants device and centre clocks within 5 s (`health.maxClockSkewMs`). The offset of
 * each message comes from `reference` (see createClockReference: robust to time-compressed replays
 * and to a minority of bad clocks). Raised after `clockSkewMessages` consecutive messages beyond
 * the limit whose offsets agree within the limit: a real skew is steady, whereas a spool backfill
 * arrives ever less late (each message one report interval nearer), so it is delay, not skew. A
 * clock behind by a steady amount and a steady delivery delay look alike; both break the
 * GB 50440-2007 20 s receive-and-display budget if large. Cleared after as many messages within
 * the limit. The alert's time is the community clock, not the device's own `ts`.
 *
 * @example
 * const skew = createClockSkewTracker(ctx.settings.health, subjects, createClockReference())
 * skew.observe(subject, msg.ts, obs.receivedAt)
 */
export function createClockSkewTracker (s: HealthSettings, subjects: HealthSubjects, reference: ClockReference): ClockSkewTracker {
  const state = new Map<string, SkewState>()
  const n = s.clockSkewMessages
  return {
    observe (subject, ts, recv) {
      const offset = reference.observe(subject.id, ts, recv)
      if (offset === undefined) return NO_SIGNALS
      let st = state.get(subject.id)
      if (st === undefined) {
        st = { run: [], ok: 0, open: false }
        state.set(subject.id, st)
      }
      const at = ts - offset
      if (Math.abs(offset) <= s.maxClockSkewMs) {
        // Emptied in place: a healthy clock is every message, and a new array for each adds up.
        if (st.run.length > 0) st.run.length = 0
        if (!st.open || ++st.ok < n) return NO_SIGNALS
        st.open = false
        st.ok = 0
        return [subjects.clear(HEALTH_CLOCK_SKEW, subject.id, at)]
      }
      st.ok = 0
      st.run.push({ offset, at })
      if (st.run.length > n) st.run.shift()
      if (st.open || st.run.length < n) return NO_SIGNALS
      const offsets = st.run.map((r) => r.offset)
      const lo = Math.min(...offsets)
      const hi = Math.max(...offsets)
      if (hi - lo > s.maxClockSkewMs) return NO_SIGNALS
      st.open = true
      const skewMs = Math.round(offsets.reduce((a, b) => a + b, 0) / n)
      return [subjects.raise(HEALTH_CLOCK_SKEW, subject, {
        at,
        values: { skewMs, limitMs: s.maxClockSkewMs, messages: n, deviceTs: ts, communityTs: Math.round(at) },
        fromMs: st.run[0]!.at,
        toMs: at,
        title: `Clock ${skewMs > 0 ? 'ahead' : 'behind'} by ${Math.round(Math.abs(skewMs) / 1000)} s: ${subject.id}`
      })]
    }
  }
}
