import type { FumeTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { RuleSignals } from '../../core/rule-signal.ts'

/** A fume probe whose reading does not move while the fan runs. */
export const FUME_PROBE_FLAT: RuleInfo = {
  id: 'fume.probe-flat',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'DOMAIN.md §3 probe tampering (flat-lined readings); HJ 212-2017 real-time values',
  title: 'Fume probe flat-lined',
  description: 'Raised when `health.flatLineSamples` consecutive samples taken with the fan on carry exactly the ' +
    'same fume reading (a live duct always fluctuates at 0.001 mg/m³ resolution; a blocked, unplugged or faked ' +
    'probe does not). Fan-off samples neither extend nor break the run. Cleared by the first fan-on reading that differs.'
}

/** A fume reading no kitchen exhaust produces. */
export const FUME_PROBE_IMPLAUSIBLE: RuleInfo = {
  id: 'fume.probe-implausible',
  version: '1',
  category: 'device_health',
  severity: 'P4',
  clause: 'DOMAIN.md §3 probe tampering (implausible readings)',
  title: 'Fume probe reading implausible',
  description: 'Raised on a reading above `implausibleMgM3` (raw, unpurified kitchen fume is ~5–40 mg/m³; *verify*); ' +
    'such samples are still judged by the other rules. Cleared after `exceedanceSamples` consecutive plausible readings.'
}

/**
 * Both probe-health checks of one monitor.
 *
 * @example const rule = createProbeHealthRule(flat, implausible, { flatLineSamples: 30, implausibleMgM3: 100, clearSamples: 5 })
 */
export function createProbeHealthRule (
  flat: RuleSignals,
  implausible: RuleSignals,
  o: { flatLineSamples: number, implausibleMgM3: number, clearSamples: number }
): DeviceAnalyzer<'fume'> {
  let last: number | undefined
  let same = 0
  let sameFromMs = 0
  let flatActive = false
  let implausibleActive = false
  let plausibleRun = 0

  const flatLine = (msg: FumeTelemetry): Signal[] => {
    if (!msg.fanOn) return []
    if (msg.fumeMgM3 !== last) {
      last = msg.fumeMgM3
      same = 1
      sameFromMs = msg.ts
      if (!flatActive) return []
      flatActive = false
      return [flat.clear(msg.ts)]
    }
    same++
    if (flatActive || same < o.flatLineSamples) return []
    flatActive = true
    return [flat.raise({
      at: msg.ts,
      values: { fumeMgM3: msg.fumeMgM3, samples: same, fanCurrentA: msg.fanCurrentA },
      window: { fromMs: sameFromMs, toMs: msg.ts }
    })]
  }
  const outOfRange = (msg: FumeTelemetry): Signal[] => {
    if (msg.fumeMgM3 > o.implausibleMgM3) {
      plausibleRun = 0
      if (implausibleActive) return []
      implausibleActive = true
      return [implausible.raise({
        at: msg.ts,
        values: { fumeMgM3: msg.fumeMgM3, implausibleMgM3: o.implausibleMgM3 },
        window: { fromMs: msg.ts, toMs: msg.ts }
      })]
    }
    if (!implausibleActive || ++plausibleRun < o.clearSamples) return []
    implausibleActive = false
    plausibleRun = 0
    return [implausible.clear(msg.ts)]
  }
  return { observe: (msg) => [...flatLine(msg), ...outOfRange(msg)] }
}
