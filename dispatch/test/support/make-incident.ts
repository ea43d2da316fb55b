// Builders of valid incidents, plans and mutations for the incident store tests. They stand in for
// the domain (dispatch/src/domain), which the store must not need: each is a few lines of obvious
// bookkeeping, so a test failure points at the store, not at merge or lifecycle logic.
import type { Actor, Alert, Incident, IncidentStatus } from '@gangwan/contracts'
import type { AlertContext, AlertPlan, Mutation, NewAuditEntry } from '../../src/index.ts'
import { T0 } from './make-alert.ts'

/** The hub acting by itself (merging alerts). */
export const SYSTEM: Actor = { type: 'system', id: 'dispatch' }
/** An operator console user. */
export const OPERATOR: Actor = { type: 'user', id: 'op-wang', role: 'dispatcher' }

/** The scope key the fixtures index a fire alert under: its building and fire zone. */
export function zoneKey (alert: Alert): string {
  return `fire|${alert.location.building ?? '-'}|${alert.location.zone ?? '-'}`
}

/**
 * A valid dispatched fire incident, version 1, opened by `alert` (default: none, fixed fields),
 * with `overrides` applied. Its `id` is a placeholder: the store assigns the real one on create.
 *
 * @example makeIncident({ status: 'accepted', handler: 'h-li' })
 */
export function makeIncident (overrides: Partial<Incident> = {}, alert?: Alert): Incident {
  const at = alert?.detectedAt ?? T0
  return {
    id: 'pending',
    version: 1,
    status: 'dispatched',
    category: alert?.category ?? 'fire',
    severity: alert?.severity ?? 'P2',
    title: alert?.title ?? 'Smoke pre-alarm',
    location: alert?.location ?? { grid: 'G01', building: 'B03', floor: 12, zone: 'Z12' },
    department: 'fire-room-1',
    tier: 0,
    escalatedTo: [],
    mergeRule: 'fire-zone',
    mergeReason: 'fire alerts in one fire zone within 600 s',
    alertCount: 1,
    devices: alert?.device === undefined ? [] : [alert.device],
    reworkCount: 0,
    createdAt: at,
    updatedAt: at,
    dispatchedAt: at,
    lastAlertAt: alert?.lastSeenAt ?? at,
    missed: [],
    ...overrides
  }
}

/** One audit entry by `actor` (default the hub) at `at`, moving to `toStatus`. */
export function entry (event: NewAuditEntry['event'], toStatus: IncidentStatus, fields: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return { at: T0, actor: SYSTEM, event, toStatus, details: {}, ...fields }
}

/** A create plan for `alert`: the incident `makeIncident(overrides, alert)`, linked as `new`. */
export function createPlan (alert: Alert, overrides: Partial<Incident> = {}, scopeKeys = [zoneKey(alert)]): AlertPlan & { type: 'create' } {
  const incident = makeIncident(overrides, alert)
  return {
    type: 'create',
    incident,
    link: { mergeRule: 'new', reason: 'first alert of the incident' },
    scopeKeys,
    audit: [entry('created', incident.status, { at: incident.createdAt, details: { alert: alert.key } })]
  }
}

/** An update plan merging `alert` into `incident` (next version, one more alert). */
export function mergePlan (incident: Incident, alert: Alert, scopeKeys = [zoneKey(alert)], mergeRule = 'fire-zone'): AlertPlan & { type: 'update' } {
  return {
    type: 'update',
    incident: { ...incident, version: incident.version + 1, alertCount: incident.alertCount + 1, lastAlertAt: alert.lastSeenAt, updatedAt: alert.detectedAt },
    link: { mergeRule, reason: `same fire zone as ${incident.id}` },
    scopeKeys,
    audit: [entry('alert_merged', incident.status, { fromStatus: incident.status, at: alert.detectedAt, details: { alert: alert.key } })]
  }
}

/**
 * The simplest merging decision: an alert already linked is ignored, one sharing a scope with an
 * open incident merges into the oldest such incident, anything else opens an incident.
 */
export function createOrMerge (alert: Alert, overrides: Partial<Incident> = {}): (ctx: AlertContext) => AlertPlan {
  return (ctx) => {
    if (ctx.linked !== undefined) return { type: 'ignore' }
    const into = ctx.candidates[0]
    return into === undefined ? createPlan(alert, overrides) : mergePlan(into, alert)
  }
}

/**
 * A mutation to the next version with `changes` applied and one audit entry by the operator.
 *
 * @example await store.update(id, (i) => change(i, { status: 'accepted' }, 'accept'))
 */
export function change (incident: Incident, changes: Partial<Incident>, event: NewAuditEntry['event'] = 'dispatch', fields: Partial<NewAuditEntry> = {}): Mutation {
  const next: Incident = { ...incident, ...changes, version: incident.version + 1, updatedAt: incident.updatedAt + 1000 }
  return { incident: next, audit: [entry(event, next.status, { actor: OPERATOR, fromStatus: incident.status, at: next.updatedAt, ...fields })] }
}

/** A mutation that counts one rework: `reworkCount` + 1 (the processes tests' counter). */
export function rework (incident: Incident): Mutation {
  return change(incident, { reworkCount: incident.reworkCount + 1 }, 'reject', { reason: 'counted' })
}
