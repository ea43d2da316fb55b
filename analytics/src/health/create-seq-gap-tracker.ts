import type { HealthSettings } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../core/no-signals.ts'
import { HEALTH_SEQ_GAP } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

/** Missing seqs `from..to` of one device, `left` of them still not arrived. */
interface Gap { device: string, from: number, to: number, left: number }

/** An open seq-gap alert of its owner: a device, or a gateway whose brief silence lost several devices' data. */
interface Episode { owner: HealthSubject, since: number, gaps: Gap[], missing: number, inOrder: number }

interface SeqState { lastSeq: number, lastTs: number }

/** Gaps remembered per open alert for late arrivals to fill; older ones can only clear by count. */
const MAX_GAPS = 64

/**
 * Why data of `device` between two of its messages is missing: an outage already alerted
 * (`'outage'`), a brief silence of its gateway (that gateway), or nothing known (undefined).
 */
export type GapCause = (device: string, fromMs: number, toMs: number) => 'outage' | HealthSubject | undefined

/** Detects telemetry lost between a device and the hub from its sequence numbers. */
export interface SeqGapTracker {
  /** A telemetry message of `subject`, relayed by `gateway` (itself for a direct device). */
  observe: (subject: HealthSubject, gateway: string, seq: number, ts: number) => Signal[]
}

/**
 * Telemetry seq must grow by one per message (DESIGN decision 3). How a lower seq is told apart:
 *
 * - **restart**: the seq went down but the measurement time went forward. A device keeps its
 *   counter in RAM and starts again from 0 after a power cycle, while its clock (RTC or NTP) goes
 *   on; the new sequence is simply followed from there, nothing is missing.
 * - **late delivery**: the seq went down and so did ts. It is an older message arriving after a
 *   newer one (a QoS 1 resend, a gateway spool sent after live data); if it falls inside a gap it
 *   fills it, and an alert whose gaps are all filled was never a loss, so it clears.
 *
 * A device that restarts with a reset clock as well looks late; health.clock-skew reports it.
 * One outage, one alert: a gap during an alerted outage raises nothing more, and gaps during a
 * gateway's brief silence (under its offline limit) go to one alert on the gateway.
 *
 * @example
 * const gaps = createSeqGapTracker(ctx.settings.health, subjects, offline.cause)
 * gaps.observe(subject, 'GW-B01', msg.seq, msg.ts) // [] while seq grows by one
 */
export function createSeqGapTracker (s: HealthSettings, subjects: HealthSubjects, cause: GapCause = () => undefined): SeqGapTracker {
  const state = new Map<string, SeqState>()
  const episodes = new Map<string, Episode>()

  function gap (subject: HealthSubject, st: SeqState, seq: number, ts: number): Signal[] {
    const why = cause(subject.id, st.lastTs, ts)
    if (why === 'outage') return NO_SIGNALS
    const owner = why ?? subject
    const missing = seq - st.lastSeq - 1
    let ep = episodes.get(owner.id)
    if (ep === undefined) {
      ep = { owner, since: ts, gaps: [], missing: 0, inOrder: 0 }
      episodes.set(owner.id, ep)
    }
    ep.gaps.push({ device: subject.id, from: st.lastSeq + 1, to: seq - 1, left: missing })
    if (ep.gaps.length > MAX_GAPS) ep.gaps.shift()
    ep.missing += missing
    ep.inOrder = 0
    const devices = new Set(ep.gaps.map((g) => g.device)).size
    return [subjects.raise(HEALTH_SEQ_GAP, owner, {
      at: ts,
      values: { device: subject.id, expected: st.lastSeq + 1, got: seq, missing, missingInEpisode: ep.missing, devicesInEpisode: devices },
      fromMs: st.lastTs,
      toMs: ts,
      ...(owner === subject ? {} : { title: `Telemetry lost upstream behind ${owner.id} (${devices} devices)` })
    })]
  }

  function late (device: string, gateway: string, seq: number, ts: number): Signal[] {
    for (const ep of [episodes.get(device), episodes.get(gateway)]) {
      const g = ep?.gaps.find((x) => x.device === device && x.from <= seq && seq <= x.to && x.left > 0)
      if (ep === undefined || g === undefined) continue
      g.left--
      if (--ep.missing > 0) return NO_SIGNALS
      episodes.delete(ep.owner.id)
      return [subjects.clear(HEALTH_SEQ_GAP, ep.owner.id, Math.max(ts, ep.since))]
    }
    return NO_SIGNALS
  }

  /** An in-order message counts towards clearing its device's alert and its gateway's. */
  function inOrder (device: string, gateway: string, ts: number): Signal[] {
    // Nearly always no alert is open: nothing to count.
    if (episodes.size === 0) return NO_SIGNALS
    const a = counted(device, ts)
    const b = gateway === device ? undefined : counted(gateway, ts)
    if (a === undefined) return b === undefined ? NO_SIGNALS : [b]
    return b === undefined ? [a] : [a, b]
  }

  /** Counts an in-order message towards the open alert of `id`; its clear once enough have come. */
  function counted (id: string, ts: number): Signal | undefined {
    const ep = episodes.get(id)
    if (ep === undefined || ++ep.inOrder < s.seqGapClearMessages) return undefined
    episodes.delete(id)
    return subjects.clear(HEALTH_SEQ_GAP, id, ts)
  }

  return {
    observe (subject, gateway, seq, ts) {
      const st = state.get(subject.id)
      if (st === undefined) {
        state.set(subject.id, { lastSeq: seq, lastTs: ts })
        return NO_SIGNALS
      }
      if (seq === st.lastSeq) return NO_SIGNALS // a duplicate ingest let through: nothing lost
      if (seq < st.lastSeq && ts <= st.lastTs) return late(subject.id, gateway, seq, ts)
      const out = seq > st.lastSeq && seq - st.lastSeq - 1 >= s.minSeqGap
        ? gap(subject, st, seq, ts)
        : inOrder(subject.id, gateway, ts)
      // In order, after a gap, or a restart (lower seq, later ts): follow the sequence from here.
      st.lastSeq = seq
      st.lastTs = Math.max(st.lastTs, ts)
      return out
    }
  }
}
