import type { Community, Department, Incident, RouteTarget, RoutingRule } from '@gangwan/contracts'

/**
 * Where an incident goes, resolved to department ids of the community: the department that works
 * it (undefined when the rule's target resolves to none: the incident waits for a dispatcher),
 * the departments told at dispatch, and the escalation tiers in order (tier 1 is `escalation[0]`).
 * Targets that resolve to no department are left out of `notify` and `escalation`.
 */
export interface Route {
  /** Id of the routing rule that matched. */
  rule: string
  department?: string
  notify: string[]
  escalation: string[]
  /** false: the incident waits in `new` for a dispatcher even when a department is known. */
  autoDispatch: boolean
}

/** Empty or absent lists match anything (settings/dispatch.ts `RoutingRuleSchema`). */
function fits<T> (list: readonly T[] | undefined, value: T | undefined): boolean {
  return list === undefined || list.length === 0 || (value !== undefined && list.includes(value))
}

function matches (rule: RoutingRule, incident: Incident, alertRuleIds: readonly string[]): boolean {
  const m = rule.match
  return fits(m.categories, incident.category) &&
    fits(m.severities, incident.severity) &&
    fits(m.grids, incident.location.grid) &&
    (m.alertRules === undefined || m.alertRules.length === 0 || m.alertRules.some((r) => alertRuleIds.includes(r)))
}

/**
 * A route target as a department id: a department kind is the department of that kind covering
 * the incident's grid, else one of that kind covering the whole community (no grids);
 * `elevator_maintainer` is the maintenance company the community file names for the incident's
 * elevator. Undefined when nothing fits.
 */
function resolveTarget (target: RouteTarget, incident: Incident, community: Community): string | undefined {
  if (target === 'elevator_maintainer') {
    const elevator = community.elevators.find((e) => e.id === incident.location.elevator)
    return community.departments.find((d) => d.id === elevator?.maintainer)?.id
  }
  const ofKind = community.departments.filter((d) => d.kind === target)
  return (ofKind.find((d) => d.grids.includes(incident.location.grid)) ?? ofKind.find((d) => d.grids.length === 0))?.id
}

/**
 * Routes an incident by the community's rules (DESIGN "category and grid pick the department",
 * DOMAIN.md §6): the first rule whose match fits the incident's category, severity and grid, and
 * whose `alertRules` (when given) include one of the rules of the incident's alerts, wins.
 * Undefined when no rule matches.
 *
 * @example
 * routeIncident(incident, ['fire.confirmed'], community)
 * // { rule: 'fire-confirmed', department: 'FCR-1', notify: ['FB-1'], escalation: ['C-1', 'S-1', 'D-1'], autoDispatch: true }
 */
export function routeIncident (incident: Incident, alertRuleIds: readonly string[], community: Community): Route | undefined {
  const rule = community.dispatch.routing.find((r) => matches(r, incident, alertRuleIds))
  if (rule === undefined) return undefined
  const resolveAll = (targets: readonly RouteTarget[]): string[] => {
    const ids: string[] = []
    for (const t of targets) {
      const id = resolveTarget(t, incident, community)
      if (id !== undefined) ids.push(id)
    }
    return ids
  }
  const route: Route = { rule: rule.id, notify: resolveAll(rule.notify), escalation: resolveAll(rule.escalation), autoDispatch: rule.autoDispatch }
  const department = resolveTarget(rule.department, incident, community)
  if (department !== undefined) route.department = department
  return route
}

/**
 * The department's handler with the fewest open incidents (ties: the first listed), or undefined
 * for a department without handlers.
 *
 * @example pickHandler(department, await store.openByHandler(department.id)) // 'h-li'
 */
export function pickHandler (department: Department, openByHandler: Record<string, number>): string | undefined {
  let best: { id: string; open: number } | undefined
  for (const h of department.handlers) {
    const open = openByHandler[h.id] ?? 0
    if (best === undefined || open < best.open) best = { id: h.id, open }
  }
  return best?.id
}
