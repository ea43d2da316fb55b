import type { FumeTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { RuleSignals } from '../../core/rule-signal.ts'

/** Exhaust fan running with the purifier off while the restaurant cooks. */
export const FUME_ILLEGAL_DISCHARGE: RuleInfo = {
  id: 'fume.illegal-discharge',
  version: '1',
  category: 'fume',
  severity: 'P3',
  clause: 'Air Pollution Prevention and Control Law art. 81 ¶2 (purifier installed and kept in normal use); GB 18483-2001',
  title: 'Fume discharged without purification',
  description: 'Raised after `illegalDischargeSamples` consecutive samples with the fan on and the purifier off ' +
    'during the restaurant\'s opening hours (outside them a sample does not count either way); cleared after as ' +
    'many consecutive samples in which that no longer holds (purifier on, fan off, or closed).'
}

/**
 * Counts consecutive "fan on, purifier off, open" samples towards raising and consecutive other
 * samples towards clearing, so one stray status bit neither raises nor clears.
 *
 * @example const rule = createIllegalDischargeRule(signals, openingHours(r, clock), 3)
 */
export function createIllegalDischargeRule (signals: RuleSignals, isOpen: (ms: number) => boolean, samples: number): DeviceAnalyzer<'fume'> {
  let active = false
  let run = 0
  let runFromMs = 0
  return {
    observe (msg: FumeTelemetry): Signal[] {
      // Air Pollution Prevention and Control Law art. 81 ¶2: the purifier must run whenever fume is discharged.
      const discharging = msg.fanOn && !msg.purifierOn && isOpen(msg.ts)
      if (discharging === active) { run = 0; return [] }
      if (run === 0) runFromMs = msg.ts
      run++
      if (run < samples) return []
      run = 0
      active = discharging
      if (!active) return [signals.clear(msg.ts)]
      return [signals.raise({
        at: msg.ts,
        values: {
          fanOn: msg.fanOn, fanCurrentA: msg.fanCurrentA, purifierOn: msg.purifierOn,
          purifierCurrentA: msg.purifierCurrentA, fumeMgM3: msg.fumeMgM3, samples
        },
        window: { fromMs: runFromMs, toMs: msg.ts }
      })]
    }
  }
}
