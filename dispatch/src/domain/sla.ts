import type { AlertCategory, Community, DispatchSettings, Incident, Severity, SlaRow, SlaStep } from '@gangwan/contracts'
import { FINAL_INCIDENT_STATUSES } from '@gangwan/contracts'
import type { Mutation } from '../incidents/incident-store.ts'
import type { Route } from './route-incident.ts'
import { departmentLabel } from './department-label.ts'

/**
 * The SLA row of a category and severity: the first whose `categories` and `severities` (absent or
 * empty: any) both fit. A community file always ends with a row that fits everything (its schema
 * checks it); for bare settings without one, the last row stands in.
 *
 * @example slaRow(settings, 'fire', 'P1').acceptS // 60
 */
export function slaRow (settings: DispatchSettings, category: AlertCategory, severity: Severity): SlaRow {
  const fits = <T>(list: readonly T[] | undefined, v: T): boolean => list === undefined || list.length === 0 || list.includes(v)
  const row = settings.sla.find((r) => fits(r.categories, category) && fits(r.severities, severity)) ?? settings.sla.at(-1)
  // DispatchSettingsSchema requires at least one row.
  if (row === undefined) throw new Error('dispatch settings have no SLA row')
  return row
}

/**
 * Time limit of a step in ms, counted from the step's start (accept from dispatch, arrive from
 * acceptance, resolve from arrival, or from the escalation that renewed it). A department whistled
 * in at tier `whistleTier` or above must be on site within `whistleArriveS` (DOMAIN.md §6 吹哨报到:
 * within 30 min), so the arrive limit is capped there.
 *
 * @example stepLimitMs(settings, incident, 'arrive', 2) // min(arriveS, whistleArriveS) × 1000
 */
export function stepLimitMs (settings: DispatchSettings, incident: Pick<Incident, 'category' | 'severity'>, step: SlaStep, tier: number): number {
  const row = slaRow(settings, incident.category, incident.severity)
  const limitS = step === 'accept' ? row.acceptS : step === 'arrive' ? row.arriveS : row.resolveS
  const capped = step === 'arrive' && tier >= settings.whistleTier ? Math.min(limitS, settings.whistleArriveS) : limitS
  return capped * 1000
}

/**
 * Escalates an incident whose running step is late (GB/T 30428 practice, DOMAIN.md §6 tiers:
 * property → community → street → district). Undefined unless the incident is open and its
 * `deadline.dueAt` ≤ `now`. Below the top tier the next department of `route.escalation` is
 * notified (tier + 1; the working department stays and the escalated one supervises), the step is
 * recorded as missed (once per step) and gets its limit again from now at the new tier. At the top
 * tier (or without escalation tiers) the deadline is renewed and the top is notified again
 * (`details.repeat`). The status never changes.
 *
 * @example escalate(incident, now, { community, route })?.incident.tier // incident.tier + 1
 */
export function escalate (incident: Incident, now: number, env: { community: Community; route: Route | undefined }): Mutation | undefined {
  const deadline = incident.deadline
  if (FINAL_INCIDENT_STATUSES.includes(incident.status) || deadline === undefined || deadline.dueAt > now) return undefined
  const settings = env.community.dispatch
  const tiers = env.route?.escalation ?? []
  const { step } = deadline
  const lateByMs = now - deadline.dueAt
  const late = `${step} deadline missed by ${Math.round(lateByMs / 1000)} s`
  const missed = incident.missed.includes(step) ? incident.missed : [...incident.missed, step]
  const base = { ...incident, missed, version: incident.version + 1, updatedAt: now }
  const audit = (reason: string, details: Record<string, string | number | boolean | null>): Mutation['audit'] => [{
    at: now, actor: { type: 'system', id: 'sla' }, event: 'escalated', fromStatus: incident.status, toStatus: incident.status, reason, details
  }]

  if (incident.tier < tiers.length) {
    const tier = incident.tier + 1
    const target = tiers[incident.tier] as string
    return {
      incident: { ...base, tier, escalatedTo: [...incident.escalatedTo, target], deadline: { step, tier, dueAt: now + stepLimitMs(settings, incident, step, tier), startedAt: now } },
      audit: audit(`${late}: escalated to ${departmentLabel(env.community, target)} (tier ${tier})`, { step, tier, department: target, lateByMs })
    }
  }
  const top = incident.escalatedTo.at(-1) ?? incident.department
  const who = top === undefined ? 'no department to notify' : `${departmentLabel(env.community, top)} notified again`
  return {
    incident: { ...base, deadline: { step, tier: incident.tier, dueAt: now + stepLimitMs(settings, incident, step, incident.tier), startedAt: now } },
    audit: audit(`${late} at the top tier: ${who} (tier ${incident.tier})`, { step, tier: incident.tier, department: top ?? null, lateByMs, repeat: true })
  }
}
