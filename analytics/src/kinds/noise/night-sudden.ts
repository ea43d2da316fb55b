import type { NoiseTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { NoisePeriods } from './noise-periods.ts'
import { round, type RuleSignals } from '../../core/rule-signal.ts'

/** One night minute whose Lmax exceeds the night limit by more than the sudden-noise margin. */
export const NOISE_NIGHT_SUDDEN: RuleInfo = {
  id: 'noise.night-sudden',
  version: '1',
  category: 'noise',
  severity: 'P3',
  clause: 'GB 3096-2008 §5.4 (night sudden noise: Lmax at most 15 dB(A) over the night limit)',
  title: 'Sudden noise at night',
  description: 'Raised by a valid night minute with Lmax > night limit + `suddenExcessDb`; every such minute ' +
    're-asserts it. Cleared by the next valid minute whose Lmax is at or under that level, or by any valid day minute.'
}

/**
 * @example const rule = createNightSuddenRule(signals, { periods, nightLimit: 45, excessDb: 15 })
 */
export function createNightSuddenRule (signals: RuleSignals, o: { periods: NoisePeriods, nightLimit: number, excessDb: number }): DeviceAnalyzer<'noise'> {
  // GB 3096-2008 §5.4: night Lmax may exceed the night limit by at most 15 dB(A) (`suddenExcessDb`).
  const threshold = o.nightLimit + o.excessDb
  let active = false
  return {
    observe (msg: NoiseTelemetry): Signal[] {
      if (!msg.valid) return []
      const night = o.periods.at(msg.ts - 1).period === 'night'
      if (night && msg.lmax > threshold) {
        active = true
        return [signals.raise({
          at: msg.ts,
          values: { lmax: msg.lmax, nightLimit: o.nightLimit, threshold, excessDb: round(msg.lmax - o.nightLimit, 1), leq: msg.leq },
          window: { fromMs: msg.ts - msg.intervalS * 1000, toMs: msg.ts }
        })]
      }
      if (!active) return []
      active = false
      return [signals.clear(msg.ts)]
    }
  }
}
