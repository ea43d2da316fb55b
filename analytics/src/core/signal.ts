import type { Alert } from '@gangwan/contracts'

/** The parts of an alert a rule or model decides; the alert book adds key, state, times, counts. */
export type AlertDraft = Pick<Alert,
  'ruleId' | 'subject' | 'category' | 'severity' | 'title' | 'source' | 'trigger' | 'location'> &
  Partial<Pick<Alert, 'device' | 'kind'>>

/**
 * A rule's verdict at measurement time `at` (epoch ms): its condition holds (`active`, with the
 * explanation) or has cleared. Rules own their hysteresis (they report `active: false` only when
 * their clear condition holds); the alert book owns debounce (`holdMs`), repeats and flapping.
 *
 * @example { active: true, at: msg.ts, holdMs: 5000, ...draft } // a fault that must hold 5 s
 */
export type Signal =
  | ({ active: true, at: number, holdMs?: number } & AlertDraft)
  | { active: false, at: number, ruleId: string, subject: string }
