import type { Alert, AlertCategory, DispatchSettings, MergeRule, MergeScope } from '@gangwan/contracts'

/**
 * The key of an alert under a merge scope, or undefined when the alert's location lacks a field
 * the scope needs (a smoke alert without a fire zone has no `zone:` key, so zone rules never join it):
 * `device:<device>`, `zone:<building>/<zone>`, `floor:<building>/<floor>`, `building:<building>`,
 * `facade:<building>/<facade>`, `elevator:<elevator>`, `restaurant:<restaurant>`, `grid:<grid>`.
 * Qualified by category, keys are what the incident store indexes open incidents under (see
 * {@link indexKeys}, {@link lookupKeys} and `IncidentStore.applyAlert`).
 *
 * @example scopeKey('zone', alert) // 'zone:B03/Z12'
 */
export function scopeKey (scope: MergeScope, alert: Alert): string | undefined {
  const { building, floor, zone, facade, elevator, restaurant, grid } = alert.location
  switch (scope) {
    case 'device': return alert.device === undefined ? undefined : `device:${alert.device}`
    case 'zone': return building === undefined || zone === undefined ? undefined : `zone:${building}/${zone}`
    case 'floor': return building === undefined || floor === undefined ? undefined : `floor:${building}/${floor}`
    case 'building': return building === undefined ? undefined : `building:${building}`
    case 'facade': return building === undefined || facade === undefined ? undefined : `facade:${building}/${facade}`
    case 'elevator': return elevator === undefined ? undefined : `elevator:${elevator}`
    case 'restaurant': return restaurant === undefined ? undefined : `restaurant:${restaurant}`
    case 'grid': return `grid:${grid}`
  }
}

/** Whether a merge rule applies to an alert: its category, and its alert rule when the merge rule names some. */
export function mergeRuleApplies (rule: MergeRule, alert: Alert): boolean {
  return rule.categories.includes(alert.category) && (rule.alertRules === undefined || rule.alertRules.includes(alert.ruleId))
}

/**
 * What an incident of `category` is indexed under once `alert` joins it: `<category>|<scope key>`
 * for each scope a merge rule that may join such an incident uses. Qualifying keys by category and
 * using only the scopes some rule needs keeps each lookup to the incidents that could take the
 * alert: with thousands open, a health alert's `building:` key does not drag in every fire there.
 *
 * @example indexKeys('fire', smokeAlert, settings) // ['fire|zone:B03/Z12', 'fire|floor:B03/12', 'fire|building:B03']
 */
export function indexKeys (category: AlertCategory, alert: Alert, settings: DispatchSettings): string[] {
  const keys = new Set<string>()
  for (const rule of settings.merge) {
    if (!rule.joins.includes(category)) continue
    const key = scopeKey(rule.scope, alert)
    if (key !== undefined) keys.add(`${category}|${key}`)
  }
  return [...keys]
}

/**
 * What to look an alert's merge candidates up by: for each merge rule that applies to it, the
 * rule's scope key qualified by each category the rule may join (see {@link indexKeys}).
 *
 * @example lookupKeys(fireModeAlert, settings) // ['fire|building:B03', …]
 */
export function lookupKeys (alert: Alert, settings: DispatchSettings): string[] {
  const keys = new Set<string>()
  for (const rule of settings.merge) {
    if (!mergeRuleApplies(rule, alert)) continue
    const key = scopeKey(rule.scope, alert)
    if (key === undefined) continue
    for (const category of rule.joins) keys.add(`${category}|${key}`)
  }
  return [...keys]
}
