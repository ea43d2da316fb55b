import type { Alert, DispatchSettings, Incident, Severity, SlaStep } from '@gangwan/contracts'
import { FINAL_INCIDENT_STATUSES } from '@gangwan/contracts'
import type { NewAuditEntry } from '../incidents/incident-store.ts'
import { stepLimitMs } from './sla.ts'

const RANK: Record<Severity, number> = { P1: 1, P2: 2, P3: 3, P4: 4 }

/** True when `a` is more severe than `b` (P1 is the highest). */
export function moreSevere (a: Severity, b: Severity): boolean {
  return RANK[a] < RANK[b]
}

/** The step's own timestamp: dispatch for accept, acceptance for arrive, arrival for resolve. */
function stepStartedAt (incident: Incident, step: SlaStep): number {
  const at = step === 'accept' ? incident.dispatchedAt : step === 'arrive' ? incident.acceptedAt : incident.arrivedAt
  return at ?? Number.NEGATIVE_INFINITY
}

/**
 * Raises an open incident's severity to the alert's when the alert's is higher: an incident's
 * severity is the highest among its alerts and never falls while it is open (contracts/incident.ts),
 * and it takes that alert's title.
 * A running SLA step is re-timed with the new severity's limit from the step's own start, never
 * later than the current deadline: a pre-alarm confirmed as a fire must be accepted within
 * the fire's minute, not the pre-alarm's three. Undefined when nothing rises (or the incident is final).
 * The caller bumps `version` and `updatedAt`.
 *
 * @example raiseSeverity(incident, confirmedFire, settings, now)?.incident.severity // 'P1'
 */
export function raiseSeverity (incident: Incident, alert: Alert, settings: DispatchSettings, now: number): { incident: Incident; audit: NewAuditEntry } | undefined {
  if (FINAL_INCIDENT_STATUSES.includes(incident.status) || !moreSevere(alert.severity, incident.severity)) return undefined
  // The most severe alert names the incident: a pre-alarm confirmed by a second detector reads as the fire.
  const raised: Incident = { ...incident, severity: alert.severity, title: alert.title }
  const details: NewAuditEntry['details'] = { from: incident.severity, to: alert.severity, alertKey: alert.key, ruleId: alert.ruleId }
  const d = incident.deadline
  if (d !== undefined) {
    // The step started at `dueAt` − the old limit (an escalation or a rework renews the deadline
    // from its own time), but not before the step's timestamp, in case the deadline was already cut short.
    const start = Math.max(stepStartedAt(incident, d.step), d.dueAt - stepLimitMs(settings, incident, d.step, d.tier))
    const dueAt = Math.min(d.dueAt, start + stepLimitMs(settings, raised, d.step, d.tier))
    raised.deadline = { ...d, dueAt }
    details.step = d.step
    details.dueAt = dueAt
  }
  return {
    incident: raised,
    audit: {
      at: now,
      actor: { type: 'system', id: 'merge' },
      event: 'severity_raised',
      fromStatus: incident.status,
      toStatus: incident.status,
      reason: `${alert.ruleId} on ${alert.subject} is ${alert.severity}: severity raised from ${incident.severity} to ${alert.severity}`,
      details
    }
  }
}
