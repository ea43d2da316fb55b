import type { AlertCategory, Severity } from '@gangwan/contracts'

/** Documentation of one rule, listed by its kind and printed in docs/analytics.md. */
export interface RuleInfo {
  id: string
  version: string
  category: AlertCategory
  /** Severity it raises (a rule may raise a higher one for a worse case; see `description`). */
  severity: Severity
  clause: string
  title: string
  description: string
}
