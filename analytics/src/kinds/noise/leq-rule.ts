import type { NoiseTelemetry, ZoneClass } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import { energyAverage } from './leq.ts'
import type { NoisePeriod, NoisePeriods, PeriodSpan } from './noise-periods.ts'
import { round, type RuleSignals } from '../../core/rule-signal.ts'

/** Leq over a window above the zone's day or night limit. */
export const NOISE_LEQ: RuleInfo = {
  id: 'noise.leq',
  version: '1',
  category: 'noise',
  severity: 'P4',
  clause: 'GB 3096-2008 Table 1 (Leq limits by zone class and period), §3.4 periods, Annex C (invalid samples)',
  title: 'Noise over the zone limit',
  description: 'Leq = 10·lg(mean 10^(0.1·Lᵢ)) of the valid one-minute leq values in windows of `leqWindowMs` ' +
    'counted from the start of each day or night period (a window never straddles the two). A window is judged ' +
    'only when valid samples cover at least `minValidFraction` of it; over its period\'s limit raises at the ' +
    'window\'s end, and the next judged window at or under its limit clears.'
}

interface Window extends PeriodSpan {
  samples: { level: number, durationMs: number }[]
  invalid: number
}

export interface LeqOptions {
  periods: NoisePeriods
  zoneClass: ZoneClass
  limits: Record<NoisePeriod, number>
  windowMs: number
  minValidFraction: number
  lateToleranceMs: number
}

/**
 * Windows one meter's minutes and judges each window once, when a later minute arrives or the
 * measurement clock passes its end plus `lateToleranceMs`. Minutes at or before the newest one seen
 * are dropped (a late minute cannot reopen a judged window).
 *
 * @example const rule = createLeqRule(signals, { periods, zoneClass: '1', limits: { day: 55, night: 45 }, ... })
 */
export function createLeqRule (signals: RuleSignals, o: LeqOptions): DeviceAnalyzer<'noise'> {
  let current: Window | undefined
  let lastTs = -Infinity
  let active = false

  const judge = (w: Window): Signal[] => {
    const validMs = w.samples.reduce((sum, s) => sum + s.durationMs, 0)
    const validFraction = Math.min(1, validMs / (w.toMs - w.fromMs))
    if (validFraction < o.minValidFraction) return []
    const level = energyAverage(w.samples)
    // GB 3096-2008 Table 1: the zone class's limit for the period the window lies in.
    const limit = o.limits[w.period]
    if (level > limit) {
      active = true
      return [signals.raise({
        at: w.toMs,
        title: `Noise over the ${w.period} limit (class ${o.zoneClass})`,
        values: {
          leq: round(level, 1), limit, class: o.zoneClass, period: w.period, samples: w.samples.length,
          invalidSamples: w.invalid, validFraction: round(validFraction, 3), excessDb: round(level - limit, 1)
        },
        window: { fromMs: w.fromMs, toMs: w.toMs }
      })]
    }
    if (!active) return []
    active = false
    return [signals.clear(w.toMs)]
  }

  return {
    observe (msg: NoiseTelemetry): Signal[] {
      if (msg.ts <= lastTs) return []
      lastTs = msg.ts
      // `ts` ends the minute, so the minute belongs to the window holding the instant just before it.
      const span = o.periods.windowAt(msg.ts - 1, o.windowMs)
      const out: Signal[] = []
      if (current !== undefined && current.fromMs !== span.fromMs) {
        out.push(...judge(current))
        current = undefined
      }
      current ??= { ...span, samples: [], invalid: 0 }
      // GB 3096-2008 Annex C: minutes invalidated by rain or wind are left out of the Leq.
      if (msg.valid) current.samples.push({ level: msg.leq, durationMs: msg.intervalS * 1000 })
      else current.invalid++
      return out
    },
    tick (nowMs: number): Signal[] {
      if (current === undefined || nowMs < current.toMs + o.lateToleranceMs) return []
      const w = current
      current = undefined
      lastTs = Math.max(lastTs, w.toMs)
      return judge(w)
    }
  }
}
