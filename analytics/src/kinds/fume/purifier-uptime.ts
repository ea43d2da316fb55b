import type { FumeTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { LocalClock } from '../../core/local-clock.ts'
import { round, type RuleSignals } from '../../core/rule-signal.ts'

/** A restaurant's purifier uptime ratio (开机率) for one local day. */
export const FUME_PURIFIER_UPTIME: RuleInfo = {
  id: 'fume.purifier-uptime',
  version: '1',
  category: 'fume',
  severity: 'P4',
  clause: 'Air Pollution Prevention and Control Law art. 81 ¶2 (purifier kept in normal use); DOMAIN.md §3 uptime ratio',
  title: 'Purifier uptime below the minimum',
  description: 'Per local day: purifier-on time while the fan runs ÷ fan-on time. When a day with at least ' +
    '`minFanOnMs` of fan time ends under `minPurifierUptime`, raised at midnight; cleared when a later such day ends ' +
    'at or above it. Each sample holds until the next; gaps over `maxSampleGapMs` count as neither.'
}

/** One local day of uptime bookkeeping; `ratio` is null until the fan has run. */
export interface UptimeDay {
  day: string
  fromMs: number
  toMs: number
  fanOnMs: number
  purifierOnMs: number
  ratio: number | null
  /** The day has ended and been judged; its numbers no longer change. */
  final: boolean
}

/** The uptime rule, which also answers what the ratios are. */
export interface UptimeRule extends DeviceAnalyzer<'fume'> {
  uptime: () => UptimeDay[]
}

export interface UptimeOptions {
  clock: LocalClock
  minUptime: number
  minFanOnMs: number
  maxSampleGapMs: number
}

const KEEP_DAYS = 8

/**
 * Accumulates fan-on and purifier-on time per local day on measurement time and judges each day
 * when it ends: on the first sample after midnight, or on `tick` once `maxSampleGapMs` has passed.
 *
 * @example const rule = createUptimeRule(signals, { clock, minUptime: 0.9, minFanOnMs: 1.8e6, maxSampleGapMs: 3e5 })
 */
export function createUptimeRule (signals: RuleSignals, o: UptimeOptions): UptimeRule {
  const days = new Map<number, UptimeDay>()
  let prev: FumeTelemetry | undefined
  let active = false

  const dayOf = (ms: number): UptimeDay => {
    const fromMs = o.clock.startOfDay(ms)
    let d = days.get(fromMs)
    if (d === undefined) {
      d = { day: o.clock.dayKey(ms), fromMs, toMs: o.clock.endOfDay(ms), fanOnMs: 0, purifierOnMs: 0, ratio: null, final: false }
      days.set(fromMs, d)
      if (days.size > KEEP_DAYS) days.delete(days.keys().next().value!)
    }
    return d
  }
  // Splits [from, to) at local midnights so each day gets its own share.
  const accumulate = (from: number, to: number, purifierOn: boolean): void => {
    for (let t = from; t < to;) {
      const d = dayOf(t)
      const end = Math.min(to, d.toMs)
      if (!d.final) {
        d.fanOnMs += end - t
        if (purifierOn) d.purifierOnMs += end - t
        d.ratio = d.purifierOnMs / d.fanOnMs
      }
      t = end
    }
  }
  const judge = (until: number): Signal[] => {
    const out: Signal[] = []
    for (const d of days.values()) {
      if (d.final || d.toMs > until) continue
      d.final = true
      if (d.fanOnMs < o.minFanOnMs || d.ratio === null) continue
      // 开机率 under the site minimum: the purifier was not "kept in normal use" (art. 81 ¶2).
      if (d.ratio < o.minUptime) {
        active = true
        out.push(signals.raise({
          at: d.toMs,
          title: `Purifier uptime ${Math.round(d.ratio * 100)} % on ${d.day}`,
          values: {
            day: d.day, uptime: round(d.ratio, 3), minUptime: o.minUptime,
            fanOnMin: round(d.fanOnMs / 60_000, 1), purifierOnMin: round(d.purifierOnMs / 60_000, 1)
          },
          window: { fromMs: d.fromMs, toMs: d.toMs }
        }))
      } else if (active) {
        active = false
        out.push(signals.clear(d.toMs))
      }
    }
    return out
  }

  return {
    observe (msg) {
      if (prev !== undefined && msg.ts <= prev.ts) return []
      dayOf(msg.ts)
      // Purifier time counts only while the fan runs, so the ratio stays within 0–1.
      if (prev?.fanOn === true && msg.ts - prev.ts <= o.maxSampleGapMs) accumulate(prev.ts, msg.ts, prev.purifierOn)
      prev = msg
      return judge(msg.ts)
    },
    tick: (nowMs) => judge(nowMs - o.maxSampleGapMs),
    uptime: () => [...days.values()].sort((a, b) => a.fromMs - b.fromMs).map((d) => ({ ...d }))
  }
}
