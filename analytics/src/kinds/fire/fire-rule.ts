import type { Alert, FireSettings, FireTelemetry } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'
import type { ChamberReading } from './chamber-baseline.ts'
import type { RateOfRise } from './rate-of-rise.ts'

/** A scalar that explains an alert (what `trigger.values` holds). */
export type TriggerValue = Alert['trigger']['values'][string]

/**
 * What a fire rule sees of one message: the message, its device and the derived temperature slope.
 * The analyzer reuses one facts object for all its messages and rules, so a rule must not keep it.
 */
export interface FireFacts {
  msg: FireTelemetry
  ctx: DeviceContext<'fire'>
  settings: FireSettings
  /**
   * Rate of rise ending at this message; undefined until two samples span enough time, and always
   * for a device none of whose rules sets `usesRise` (its temperatures are not kept).
   */
  rise: RateOfRise | undefined
  /**
   * The smoke chamber's clean-air reading as of this message; undefined until a whole window has
   * been seen, and always for a device none of whose rules sets `usesChamber`.
   */
  chamber: ChamberReading | undefined
  /** This rule's last verdict on this device, for hysteresis. */
  active: boolean
}

/** A rule's verdict: clear, or holding with the values and the window that explain it. */
export type Finding =
  | { active: false }
  | { active: true, values: Record<string, TriggerValue>, fromMs: number }

/** The verdict "not holding", shared: most messages judge most rules clear, and need not allocate to say so. */
export const NOT_HOLDING: Finding = Object.freeze({ active: false })

/**
 * One fire rule. `judge` returns undefined when the message says nothing about the rule (a field
 * it needs is absent, or the detector type has no such sensor): the last verdict stands.
 */
export interface FireRule {
  info: RuleInfo
  /**
   * Whether the rule can judge this detector at all, from its inventory entry (a smoke detector
   * has no heat element). A rule that does not apply is never judged for the device; its `judge`
   * must then return undefined for every message of it anyway. Absent: it applies to all.
   */
  appliesTo?: (device: DeviceContext<'fire'>['device']) => boolean
  /** The rule reads `facts.rise`, so the analyzer keeps the device's recent temperatures. */
  usesRise?: boolean
  /** The rule reads `facts.chamber`, so the analyzer keeps the device's recent smoke readings. */
  usesChamber?: boolean
  judge: (facts: FireFacts) => Finding | undefined
}

/**
 * The signal of a holding finding: subject and device are the detector, location its building,
 * floor and fire zone.
 *
 * @example fireSignal(SMOKE_RULE.info, ctx, msg.ts, { active: true, values: { smokeDbM: 0.08 }, fromMs: msg.ts })
 */
export function fireSignal (info: RuleInfo, ctx: DeviceContext<'fire'>, at: number, f: Extract<Finding, { active: true }>): Signal {
  return {
    active: true,
    at,
    ruleId: info.id,
    subject: ctx.device.id,
    device: ctx.device.id,
    kind: 'fire',
    category: info.category,
    severity: info.severity,
    title: info.title,
    source: { type: 'rule', id: info.id, version: info.version, clause: info.clause },
    trigger: { values: f.values, window: { fromMs: f.fromMs, toMs: at } },
    location: ctx.location
  }
}

/** Rounds for display in alert values (keeps explanations readable, not for arithmetic). */
export function round (x: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
