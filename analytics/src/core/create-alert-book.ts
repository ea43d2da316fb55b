import { alertKey, type Alert, type Severity } from '@gangwan/contracts'
import type { Signal } from './signal.ts'

/** Lifecycle settings of the alert book; every duration is measurement time, ms. */
export interface AlertBookOptions {
  /** Wall clock (epoch ms), only for `detectedAt`. */
  now: () => number
  /** A condition that returns this soon after its alert cleared continues that alert (count + 1). */
  reopenWithinMs: number
  /** This many openings of one alert within `flapWindowMs` mark it flapping. */
  flapCount: number
  flapWindowMs: number
  /** A flapping alert clears only once its condition has stayed clear this long. */
  flapClearMs: number
  /** While open, repeats refresh `lastSeenAt` in the queue at most this often. */
  updateEveryMs: number
}

/** Defaults: a 5-minute reopen window, 3 openings an hour is flapping, then 10 minutes quiet to clear. */
export const DEFAULT_ALERT_BOOK_OPTIONS: Readonly<Omit<AlertBookOptions, 'now'>> = Object.freeze({
  reopenWithinMs: 300_000,
  flapCount: 3,
  flapWindowMs: 3_600_000,
  flapClearMs: 600_000,
  updateEveryMs: 60_000
})

type ActiveSignal = Extract<Signal, { active: true }>

interface Entry {
  /** Debounce: the condition holds since `since` but not yet for its `holdMs`. */
  pending?: { since: number, last: ActiveSignal }
  /** The latest version of the alert, open or recently cleared. */
  alert?: Alert
  /** Measurement time of each opening within the flap window. */
  openings: number[]
  /** A flapping alert's condition is clear since then. */
  clearSince?: number
  /** Measurement time of the version last handed out; repeats since then are not yet out. */
  emittedAt: number
  dirty: boolean
}

/** The alert book: turns rule and model signals into alert versions for the dispatch queue. */
export interface AlertBook {
  /** Applies one signal; returns the alert versions it produced (none, or one). */
  apply: (signal: Signal) => Alert[]
  /** Advances the measurement clock: debounced conditions open, flapping ones clear, repeats go out. */
  tick: (nowMs: number) => Alert[]
  /** Alerts open now. */
  open: () => Alert[]
}

const rank: Record<Severity, number> = { P1: 1, P2: 2, P3: 3, P4: 4 }

/**
 * Keeps exactly one alert per (rule, subject): debounce (`holdMs`: the condition must hold that long
 * before the alert opens), repeats (a condition re-asserted while open raises no second alert: it
 * refreshes `lastSeenAt`, at most every `updateEveryMs`), reopening (a condition back within
 * `reopenWithinMs` continues the cleared alert with `count + 1`) and flapping (too many openings
 * in `flapWindowMs`: the alert stays open until the condition has been clear for `flapClearMs`).
 * Rules own hysteresis: they report inactive only once their clear condition holds.
 *
 * Keys come from measurement time (`ruleId|subject|openedAt`), so replaying the same telemetry
 * after a crash yields the same keys and versions, which the queue ignores as already stored.
 * `preload` continues the alerts still open in the queue.
 *
 * @example
 * const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: Date.now }, await sink.open())
 * await sink.put(signals.flatMap(book.apply))
 */
export function createAlertBook (options: AlertBookOptions, preload: readonly Alert[] = []): AlertBook {
  const o = options
  const entries = new Map<string, Entry>()
  const id = (ruleId: string, subject: string): string => `${ruleId}|${subject}`
  for (const a of preload) {
    if (a.state === 'open') entries.set(id(a.ruleId, a.subject), { alert: a, openings: [a.openedAt], emittedAt: a.lastSeenAt, dirty: false })
  }

  function entryOf (ruleId: string, subject: string): Entry {
    const k = id(ruleId, subject)
    let e = entries.get(k)
    if (e === undefined) {
      e = { openings: [], emittedAt: 0, dirty: false }
      entries.set(k, e)
    }
    return e
  }

  function emit (e: Entry, next: Alert, at: number): Alert[] {
    e.alert = next
    e.emittedAt = at
    e.dirty = false
    return [next]
  }

  function open (e: Entry, s: ActiveSignal, since: number): Alert[] {
    delete e.pending
    e.openings = e.openings.filter((t) => since - t < o.flapWindowMs)
    e.openings.push(since)
    const flapping = e.openings.length >= o.flapCount
    const prev = e.alert
    if (prev !== undefined && prev.state === 'cleared' && prev.clearedAt !== undefined && since - prev.clearedAt <= o.reopenWithinMs) {
      const { clearedAt: _c, ...rest } = prev
      return emit(e, { ...rest, state: 'open', severity: higher(prev.severity, s.severity), lastSeenAt: s.at, count: prev.count + 1, flapping: prev.flapping || flapping, version: prev.version + 1 }, s.at)
    }
    const alert: Alert = {
      key: alertKey(s.ruleId, s.subject, since),
      ruleId: s.ruleId,
      subject: s.subject,
      ...(s.device !== undefined ? { device: s.device } : {}),
      ...(s.kind !== undefined ? { kind: s.kind } : {}),
      category: s.category,
      severity: s.severity,
      state: 'open',
      title: s.title,
      source: s.source,
      trigger: s.trigger,
      location: s.location,
      openedAt: since,
      lastSeenAt: s.at,
      count: 1,
      flapping: false,
      detectedAt: o.now(),
      version: 1
    }
    e.openings = [since]
    return emit(e, alert, s.at)
  }

  function repeat (e: Entry, a: Alert, s: ActiveSignal): Alert[] {
    delete e.clearSince
    const at = Math.max(a.lastSeenAt, s.at)
    if (rank[s.severity] < rank[a.severity]) {
      // Worse than when it opened (a pre-alarm level rising): out at once, with what made it worse.
      return emit(e, { ...a, severity: s.severity, title: s.title, trigger: s.trigger, source: s.source, lastSeenAt: at, version: a.version + 1 }, at)
    }
    e.alert = { ...a, lastSeenAt: at }
    e.dirty = true
    if (at - e.emittedAt >= o.updateEveryMs) return emit(e, { ...e.alert, version: a.version + 1 }, at)
    return []
  }

  function clear (e: Entry, a: Alert, at: number): Alert[] {
    delete e.clearSince
    return emit(e, { ...a, state: 'cleared', clearedAt: at, version: a.version + 1 }, at)
  }

  return {
    apply (s) {
      const e = entryOf(s.ruleId, s.subject)
      const a = e.alert
      if (!s.active) {
        delete e.pending
        if (a === undefined || a.state !== 'open') return []
        if (a.flapping) {
          e.clearSince ??= s.at
          return []
        }
        return clear(e, a, s.at)
      }
      if (a !== undefined && a.state === 'open') return repeat(e, a, s)
      const hold = s.holdMs ?? 0
      if (hold > 0) {
        if (e.pending === undefined) e.pending = { since: s.at, last: s }
        else e.pending.last = s
        if (s.at - e.pending.since < hold) return []
      }
      return open(e, s, e.pending?.since ?? s.at)
    },
    tick (nowMs) {
      const out: Alert[] = []
      for (const [k, e] of entries) {
        const a = e.alert
        if (e.pending !== undefined && nowMs - e.pending.since >= (e.pending.last.holdMs ?? 0)) {
          out.push(...open(e, e.pending.last, e.pending.since))
        } else if (a?.state === 'open') {
          if (e.clearSince !== undefined && nowMs - e.clearSince >= o.flapClearMs) out.push(...clear(e, a, nowMs))
          else if (e.dirty && nowMs - e.emittedAt >= o.updateEveryMs) out.push(...emit(e, { ...a, version: a.version + 1 }, nowMs))
        } else if (e.pending === undefined && (a === undefined || (a.clearedAt !== undefined && nowMs - a.clearedAt > Math.max(o.reopenWithinMs, o.flapWindowMs)))) {
          entries.delete(k)
        }
      }
      return out
    },
    open () {
      const out: Alert[] = []
      for (const e of entries.values()) if (e.alert?.state === 'open') out.push(e.alert)
      return out
    }
  }
}

function higher (a: Severity, b: Severity): Severity {
  return rank[a] <= rank[b] ? a : b
}
