import type { AlertLocation, DeviceKind } from '@gangwan/contracts'
import type { RuleInfo } from './rule-info.ts'
import type { Signal } from './signal.ts'

/** A scalar that explains an alert (what `trigger.values` holds). */
export type TriggerValue = number | string | boolean | null

/** What a rule says when its condition holds: measurement time, values, window and any extras. */
export interface Raise {
  at: number
  /** Overrides the subject (the device id), e.g. to make each thrown object its own alert. */
  subject?: string
  values: Record<string, TriggerValue>
  window: { fromMs: number, toMs: number }
  /** Overrides the rule's title (e.g. to name the period). */
  title?: string
  /** Overrides the device's location (e.g. a thrown object's floor range). */
  location?: AlertLocation
  clip?: string
  trajectory?: { t: number, x: number, h: number }[]
}

/** Builds the active and cleared signals of one rule on one device. */
export interface RuleSignals {
  raise: (r: Raise) => Signal
  clear: (at: number, subject?: string) => Signal
}

/**
 * Binds a rule's documentation to a device so each rule file only says when and why. Times are
 * rounded to whole ms because the alert schema keeps integer epoch ms.
 *
 * @example
 * const s = ruleSignals(EXCEEDANCE, { id: 'R01-FM', kind: 'fume', location })
 * s.raise({ at: msg.ts, values: { fumeMgM3: 2.4 }, window: { fromMs, toMs: msg.ts } })
 */
export function ruleSignals (rule: RuleInfo, device: { id: string, kind: DeviceKind, location: AlertLocation }): RuleSignals {
  const source = { type: 'rule' as const, id: rule.id, version: rule.version, clause: rule.clause }
  return {
    raise: (r) => ({
      active: true,
      at: Math.round(r.at),
      ruleId: rule.id,
      subject: r.subject ?? device.id,
      device: device.id,
      kind: device.kind,
      category: rule.category,
      severity: rule.severity,
      title: r.title ?? rule.title,
      source,
      trigger: {
        values: r.values,
        window: { fromMs: Math.round(r.window.fromMs), toMs: Math.round(r.window.toMs) },
        ...(r.clip !== undefined ? { clip: r.clip } : {}),
        ...(r.trajectory !== undefined ? { trajectory: r.trajectory } : {})
      },
      location: r.location ?? device.location
    }),
    clear: (at, subject) => ({ active: false, at: Math.round(at), ruleId: rule.id, subject: subject ?? device.id })
  }
}

/** Rounds for display in alert values (keeps explanations readable, not for arithmetic). */
export function round (x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
