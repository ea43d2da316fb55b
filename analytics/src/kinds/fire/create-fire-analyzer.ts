import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { DeviceContext } from '../../core/context.ts'
import type { Signal } from '../../core/signal.ts'
import type { FireRule } from './fire-rule.ts'
import { fireSignal } from './fire-rule.ts'
import { FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE } from './heat-rules.ts'
import { DETECTOR_ALARM_RULE, MANUAL_CALL_RULE, SMOKE_RULE } from './smoke-rules.ts'
import { FAULT_RULE, TAMPER_RULE } from './fire-health-rules.ts'
import { createRateOfRise } from './rate-of-rise.ts'

/** The per-detector rules, in the order they are judged. */
export const FIRE_DEVICE_RULES: readonly FireRule[] = [
  SMOKE_RULE, DETECTOR_ALARM_RULE, FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE, MANUAL_CALL_RULE,
  FAULT_RULE, TAMPER_RULE
]

/**
 * The rules of one fire detector over its messages. Reports:
 * - `active` on every message while a rule's condition holds (the alert book turns repeats into
 *   `lastSeenAt`), with the values and window that explain it;
 * - `active: false` once when it clears, and also as a rule's first verdict on a device, so an
 *   alert still open from before a restart is closed if its condition went away meanwhile.
 *
 * Messages older than the newest one seen (a late resend) are ignored: their verdicts would
 * step the rules back in time. Fire rules have no timers, so there is no `tick`.
 *
 * @example
 * const a = createFireAnalyzer(ctx.device('B01-F12-S01') as DeviceContext<'fire'>)
 * a.observe({ kind: 'fire', seq: 1, ts, smokeDbM: 0.08, alarm: false, fault: false, tamper: false })
 * // → [{ active: true, ruleId: 'fire.smoke', severity: 'P2', ... }, { active: false, ruleId: 'fire.detector_alarm', ... }, ...]
 */
export function createFireAnalyzer (ctx: DeviceContext<'fire'>, rules: readonly FireRule[] = FIRE_DEVICE_RULES): DeviceAnalyzer<'fire'> {
  const settings = ctx.settings.fire
  const rise = createRateOfRise(settings.rateOfRiseMinSpanMs, settings.rateOfRiseWindowMs)
  const verdicts = new Map<string, boolean>()
  let newest = -Infinity
  return {
    observe (msg) {
      if (msg.ts < newest) return []
      newest = msg.ts
      if (msg.temperatureC !== undefined) rise.add(msg.ts, msg.temperatureC)
      const facts = { msg, ctx, settings, rise: msg.temperatureC !== undefined ? rise.current() : undefined }
      const out: Signal[] = []
      for (const rule of rules) {
        const id = rule.info.id
        const before = verdicts.get(id)
        const f = rule.judge({ ...facts, active: before === true })
        if (f === undefined) continue
        verdicts.set(id, f.active)
        if (f.active) out.push(fireSignal(rule.info, ctx, msg.ts, f))
        else if (before !== false) out.push({ active: false, at: msg.ts, ruleId: id, subject: ctx.device.id })
      }
      return out
    }
  }
}
