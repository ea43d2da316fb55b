import type { FumeTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import { round, type RuleSignals } from '../../core/rule-signal.ts'

/** Sustained exceedance of the restaurant's fume emission limit. */
export const FUME_EXCEEDANCE: RuleInfo = {
  id: 'fume.exceedance',
  version: '1',
  category: 'fume',
  severity: 'P3',
  clause: 'GB 18483-2001 Table 2 (fume ≤ 2.0 mg/m³; stricter local limits such as DB11/1488-2018 1.0 mg/m³)',
  title: 'Cooking fume over the emission limit',
  description: 'Raised after `exceedanceSamples` consecutive readings above the restaurant\'s `fumeLimitMgM3`, so a ' +
    'single spike (a wok flare) does not count; cleared after as many consecutive readings at or under the limit.'
}

/**
 * Counts consecutive samples over and under the limit; the alert needs `samples` in a row to open
 * and as many in a row to clear (hysteresis on the count, not on the level).
 *
 * @example const rule = createExceedanceRule(signals, 2.0, 5); rule.observe(msg)
 */
export function createExceedanceRule (signals: RuleSignals, limitMgM3: number, samples: number): DeviceAnalyzer<'fume'> {
  let active = false
  let run = 0
  let runFromMs = 0
  let peak = 0
  return {
    observe (msg: FumeTelemetry): Signal[] {
      // GB 18483-2001 Table 2: strictly over, a reading equal to the limit complies ("≤ 2.0 mg/m³").
      const over = msg.fumeMgM3 > limitMgM3
      // A sample that agrees with the current state breaks any run towards the other state.
      if (over === active) { run = 0; return [] }
      if (run === 0) { runFromMs = msg.ts; peak = 0 }
      run++
      peak = Math.max(peak, msg.fumeMgM3)
      if (run < samples) return []
      run = 0
      active = over
      if (!active) return [signals.clear(msg.ts)]
      return [signals.raise({
        at: msg.ts,
        values: { fumeMgM3: msg.fumeMgM3, peakMgM3: peak, limitMgM3, samples, ratio: round(peak / limitMgM3) },
        window: { fromMs: runFromMs, toMs: msg.ts }
      })]
    }
  }
}
