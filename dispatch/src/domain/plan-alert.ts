import type { Alert, DispatchSettings, Incident, MergeRule, MergeScope } from '@gangwan/contracts'
import { FINAL_INCIDENT_STATUSES } from '@gangwan/contracts'
import type { AlertContext, AlertPlan, NewAuditEntry } from '../incidents/incident-store.ts'
import { raiseSeverity } from './raise-severity.ts'
import { indexKeys, mergeRuleApplies, scopeKey } from './scope-keys.ts'

/**
 * What to do with one alert: an {@link AlertPlan}, or `relink`: the alert's newer version only
 * repeats, counts or clears, so its link is refreshed to that version and the incident is left as
 * it is (no version bump, no audit entry).
 */
export type AlertDecision = AlertPlan | { type: 'relink' }

/** Devices an incident lists (contracts/incident.ts: first 100). */
const MAX_DEVICES = 100
const MERGE_ACTOR = { type: 'system', id: 'merge' } as const

/**
 * The candidate shares the alert's scope on the incident's own fields: the store prefetches
 * incidents indexed under any of the alert's keys, and does not say under which.
 */
function sameScope (scope: MergeScope, incident: Incident, alert: Alert): boolean {
  const a = alert.location
  const i = incident.location
  switch (scope) {
    case 'device': return alert.device !== undefined && incident.devices.includes(alert.device)
    case 'zone': return i.building === a.building && i.zone === a.zone
    case 'floor': return i.building === a.building && i.floor === a.floor
    case 'building': return i.building === a.building
    case 'facade': return i.building === a.building && i.facade === a.facade
    case 'elevator': return i.elevator === a.elevator
    case 'restaurant': return i.restaurant === a.restaurant
    case 'grid': return i.grid === a.grid
  }
}

/** The joinable incident with the newest alert (ties: the newer incident, then the larger id). */
function pickCandidate (rule: MergeRule, alert: Alert, candidates: readonly Incident[]): Incident | undefined {
  const windowMs = rule.windowS * 1000
  let best: Incident | undefined
  for (const c of candidates) {
    if (FINAL_INCIDENT_STATUSES.includes(c.status) || !rule.joins.includes(c.category)) continue
    if (!sameScope(rule.scope, c, alert) || Math.abs(alert.openedAt - c.lastAlertAt) > windowMs) continue
    if (best === undefined || c.lastAlertAt > best.lastAlertAt ||
      (c.lastAlertAt === best.lastAlertAt && (c.createdAt > best.createdAt || (c.createdAt === best.createdAt && c.id > best.id)))) best = c
  }
  return best
}

function merge (rule: MergeRule, key: string, alert: Alert, c: Incident, env: { settings: DispatchSettings; now: number }): AlertPlan {
  const deltaS = Math.round((alert.openedAt - c.lastAlertAt) / 1000)
  const when = deltaS >= 0 ? `${deltaS} s after the last` : `${-deltaS} s before the last`
  const reason = `${rule.description}: ${key.slice(key.indexOf(':') + 1)}, ${when}`.slice(0, 2000)
  const devices = alert.device === undefined || c.devices.includes(alert.device) || c.devices.length >= MAX_DEVICES ? c.devices : [...c.devices, alert.device]
  let incident: Incident = { ...c, alertCount: c.alertCount + 1, devices, lastAlertAt: Math.max(c.lastAlertAt, alert.openedAt), version: c.version + 1, updatedAt: env.now }
  const audit: NewAuditEntry[] = [{
    at: env.now, actor: MERGE_ACTOR, event: 'alert_merged', fromStatus: c.status, toStatus: c.status, reason,
    details: { alertKey: alert.key, ruleId: alert.ruleId, mergeRule: rule.id }
  }]
  const raised = raiseSeverity(incident, alert, env.settings, env.now)
  if (raised !== undefined) {
    incident = raised.incident
    audit.push(raised.audit)
  }
  return { type: 'update', incident, link: { mergeRule: rule.id, reason }, scopeKeys: indexKeys(incident.category, alert, env.settings), audit }
}

function create (alert: Alert, opener: MergeRule | undefined, settings: DispatchSettings, now: number): AlertPlan {
  const opened = `opened by ${alert.ruleId} on ${alert.subject}`
  const mergeReason = opener === undefined
    ? `${opened}; no merge rule applies to this alert`
    : `${opened}; later alerts join when: ${opener.description} within ${opener.windowS} s`
  const incident: Incident = {
    id: '',
    version: 1,
    status: 'new',
    category: alert.category,
    severity: alert.severity,
    title: alert.title,
    location: { ...alert.location },
    tier: 0,
    escalatedTo: [],
    mergeRule: opener?.id ?? 'none',
    mergeReason: mergeReason.slice(0, 500),
    alertCount: 1,
    devices: alert.device === undefined ? [] : [alert.device],
    reworkCount: 0,
    createdAt: now,
    updatedAt: now,
    lastAlertAt: alert.openedAt,
    missed: []
  }
  const audit: NewAuditEntry[] = [{
    at: now, actor: MERGE_ACTOR, event: 'created', toStatus: 'new', reason: `${alert.title}: ${opened}`.slice(0, 2000),
    details: { alertKey: alert.key, ruleId: alert.ruleId }
  }]
  return { type: 'create', incident, link: { mergeRule: 'new', reason: 'opened the incident' }, scopeKeys: indexKeys(incident.category, alert, settings), audit }
}

/**
 * Decides what one alert does to the incidents (DOMAIN.md §6 "verify and file"; settings/dispatch.ts
 * `MergeRuleSchema`). Pure: `ctx` is what the store prefetched, `env.now` the hub's wall clock.
 *
 * - Already linked: an older or equal version is ignored; a newer one that raises the severity of
 *   an open incident updates it (`severity_raised`, the running deadline re-timed); anything else
 *   (repeats, count, clearing) only refreshes the link (`relink`). Clearing never closes an incident.
 * - Otherwise the merge rules are walked in order. A rule applies when the alert's category is one
 *   of its `categories` (and its rule one of `alertRules`, when given) and its location has the
 *   rule's scope; it finds the open incident of a `joins` category in the same scope whose newest
 *   alert is within `windowS` of the alert's opening (measurement time, either side), newest first.
 *   The first rule that finds one merges the alert into it (`alert_merged`, severity raised if higher).
 * - No rule finds one: a new incident (`created`, status `new`; the store assigns its id), which
 *   names the first applying rule as its `mergeRule` (`none` when none applies). A cleared alert
 *   still opens one: an episode that opened and cleared before dispatch saw it happened.
 *
 * @example
 * const decision = planAlert(alert, ctx, { settings: community.dispatch, now: Date.now() })
 * if (decision.type === 'create') decision.incident.mergeRule // 'fire-zone'
 */
export function planAlert (alert: Alert, ctx: AlertContext, env: { settings: DispatchSettings; now: number }): AlertDecision {
  if (ctx.linked !== undefined) {
    const { incident, alert: stored } = ctx.linked
    if (alert.version <= stored.version) return { type: 'ignore' }
    const raised = raiseSeverity(incident, alert, env.settings, env.now)
    if (raised === undefined) return { type: 'relink' }
    return {
      type: 'update',
      incident: { ...raised.incident, version: incident.version + 1, updatedAt: env.now },
      link: { mergeRule: 'update', reason: `version ${alert.version} raised the severity to ${alert.severity}` },
      scopeKeys: indexKeys(incident.category, alert, env.settings),
      audit: [raised.audit]
    }
  }
  let opener: MergeRule | undefined
  for (const rule of env.settings.merge) {
    if (!mergeRuleApplies(rule, alert)) continue
    const key = scopeKey(rule.scope, alert)
    if (key === undefined) continue
    opener ??= rule
    const candidate = pickCandidate(rule, alert, ctx.candidates)
    if (candidate !== undefined) return merge(rule, key, alert, candidate, env)
  }
  return create(alert, opener, env.settings, env.now)
}
