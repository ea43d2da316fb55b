import type { NoiseTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { NoisePeriods } from './noise-periods.ts'
import type { RuleSignals } from '../../core/rule-signal.ts'

/** Repeated night minutes whose Lmax exceeds the night limit by more than the frequent-noise margin. */
export const NOISE_NIGHT_FREQUENT: RuleInfo = {
  id: 'noise.night-frequent',
  version: '1',
  category: 'noise',
  severity: 'P3',
  clause: 'GB 12348-2008 §4.1 (night frequent noise: Lmax at most 10 dB(A) over the night limit), applied to the GB 3096-2008 zone limits',
  title: 'Frequent noise at night',
  description: 'Raised when at least `frequentCount` valid night minutes with Lmax > night limit + `frequentExcessDb` ' +
    'fall within the trailing `frequentWindowMs`. Cleared when, as the oldest of them leaves that window, fewer ' +
    'than `frequentCount` remain (at the exact moment it leaves, on samples or ticks).'
}

export interface FrequentOptions {
  periods: NoisePeriods
  nightLimit: number
  excessDb: number
  count: number
  windowMs: number
}

/**
 * @example const rule = createNightFrequentRule(signals, { periods, nightLimit: 45, excessDb: 10, count: 3, windowMs: 3.6e6 })
 */
export function createNightFrequentRule (signals: RuleSignals, o: FrequentOptions): DeviceAnalyzer<'noise'> {
  // GB 12348-2008 §4.1: frequent night noise may exceed the night limit by at most 10 dB(A) (`frequentExcessDb`).
  const threshold = o.nightLimit + o.excessDb
  // End times of the loud minutes still inside the trailing window, oldest first.
  const loud: { ts: number, lmax: number }[] = []
  let active = false

  const expire = (nowMs: number): Signal[] => {
    const out: Signal[] = []
    while (loud.length > 0 && loud[0]!.ts <= nowMs - o.windowMs) {
      const gone = loud.shift()!
      if (active && loud.length < o.count) {
        active = false
        out.push(signals.clear(gone.ts + o.windowMs))
      }
    }
    return out
  }

  return {
    observe (msg: NoiseTelemetry): Signal[] {
      const out = expire(msg.ts)
      if (!msg.valid || msg.lmax <= threshold || o.periods.at(msg.ts - 1).period !== 'night') return out
      if (loud.length > 0 && msg.ts <= loud[loud.length - 1]!.ts) return out
      loud.push({ ts: msg.ts, lmax: msg.lmax })
      if (loud.length < o.count) return out
      // Re-asserted by every further loud minute while the count holds.
      active = true
      out.push(signals.raise({
        at: msg.ts,
        values: { minutes: loud.length, count: o.count, maxLmax: Math.max(...loud.map((l) => l.lmax)), nightLimit: o.nightLimit, threshold },
        window: { fromMs: loud[0]!.ts - msg.intervalS * 1000, toMs: msg.ts }
      }))
      return out
    },
    tick: (nowMs) => expire(nowMs)
  }
}
