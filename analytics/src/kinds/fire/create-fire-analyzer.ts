import type { FireTelemetry } from '@gangwan/contracts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { DeviceContext } from '../../core/context.ts'
import type { Signal } from '../../core/signal.ts'
import { NO_SIGNALS } from '../../core/no-signals.ts'
import type { FireFacts, FireRule } from './fire-rule.ts'
import { fireSignal } from './fire-rule.ts'
import { FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE } from './heat-rules.ts'
import { DETECTOR_ALARM_RULE, MANUAL_CALL_RULE, SMOKE_RULE } from './smoke-rules.ts'
import { FAULT_RULE, TAMPER_RULE } from './fire-health-rules.ts'
import { createChamberBaseline } from './chamber-baseline.ts'
import { DIRTY_CHAMBER_RULE } from './dirty-chamber-rule.ts'
import { createRateOfRise } from './rate-of-rise.ts'

/** The per-detector rules, in the order they are judged. */
export const FIRE_DEVICE_RULES: readonly FireRule[] = [
  SMOKE_RULE, DETECTOR_ALARM_RULE, FIXED_TEMPERATURE_RULE, RATE_OF_RISE_RULE, MANUAL_CALL_RULE,
  FAULT_RULE, TAMPER_RULE, DIRTY_CHAMBER_RULE
]

/**
 * The rules of one fire detector over its messages. Reports:
 * - `active` on every message while a rule's condition holds (the alert book turns repeats into
 *   `lastSeenAt`), with the values and window that explain it;
 * - `active: false` once when it clears, and also as a rule's first verdict on a device, so an
 *   alert still open from before a restart is closed if its condition went away meanwhile.
 *
 * Messages older than the newest one seen (a late resend) are ignored: their verdicts would
 * step the rules back in time. Fire rules have no timers, so there is no `tick`. Rules that do
 * not apply to the detector (`appliesTo`) are dropped once, and its temperatures are kept only
 * when a remaining rule reads the rate of rise (its smoke readings only for the dirty chamber). A message that changes nothing returns the shared
 * {@link NO_SIGNALS}.
 *
 * @example
 * const a = createFireAnalyzer(ctx.device('B01-F12-S01') as DeviceContext<'fire'>)
 * a.observe({ kind: 'fire', seq: 1, ts, smokeDbM: 0.08, alarm: false, fault: false, tamper: false })
 * // → [{ active: true, ruleId: 'fire.smoke', severity: 'P2', ... }, { active: false, ruleId: 'fire.detector_alarm', ... }, ...]
 */
export function createFireAnalyzer (ctx: DeviceContext<'fire'>, rules: readonly FireRule[] = FIRE_DEVICE_RULES): DeviceAnalyzer<'fire'> {
  const settings = ctx.settings.fire
  // Judged once per device, not per message: a smoke detector never runs the heat rules.
  const applicable = rules.filter((r) => r.appliesTo?.(ctx.device) ?? true)
  const rise = applicable.some((r) => r.usesRise === true)
    ? createRateOfRise(settings.rateOfRiseMinSpanMs, settings.rateOfRiseWindowMs)
    : undefined
  const chamber = applicable.some((r) => r.usesChamber === true)
    ? createChamberBaseline(settings.dirtyChamberWindowMs, settings.dirtyChamberPercentile)
    : undefined
  /** Each applicable rule's last verdict: undefined (none yet), true (holding) or false. */
  const verdicts: (boolean | undefined)[] = applicable.map(() => undefined)
  // One facts object for every message and rule (rules do not keep it): no allocation per rule.
  const facts: FireFacts = { msg: undefined as unknown as FireTelemetry, ctx, settings, rise: undefined, chamber: undefined, active: false }
  let newest = -Infinity
  return {
    observe (msg) {
      if (msg.ts < newest) return NO_SIGNALS
      newest = msg.ts
      facts.msg = msg
      facts.rise = undefined
      facts.chamber = undefined
      if (rise !== undefined && msg.temperatureC !== undefined) {
        rise.add(msg.ts, msg.temperatureC)
        facts.rise = rise.current()
      }
      if (chamber !== undefined && msg.smokeDbM !== undefined) {
        // A fire's smoke is not dust: readings in alarm or at the pre-alarm level stay out.
        chamber.add(msg.ts, msg.smokeDbM, !msg.alarm && msg.smokeDbM < settings.smokeDbM)
        facts.chamber = chamber.current()
      }
      let out: Signal[] | undefined
      for (let i = 0; i < applicable.length; i++) {
        const rule = applicable[i]!
        const before = verdicts[i]
        facts.active = before === true
        const f = rule.judge(facts)
        if (f === undefined) continue
        verdicts[i] = f.active
        // Holding: reported again every message; clear: reported once (and as the first verdict).
        if (!f.active && before === false) continue
        out ??= []
        out.push(f.active ? fireSignal(rule.info, ctx, msg.ts, f) : { active: false, at: msg.ts, ruleId: rule.info.id, subject: ctx.device.id })
      }
      return out ?? NO_SIGNALS
    }
  }
}
