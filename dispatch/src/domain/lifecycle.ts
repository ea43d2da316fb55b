import type { Actor, Community, Department, Incident, IncidentAction, SlaStep } from '@gangwan/contracts'
import { GangwanError, IncidentActionSchema } from '@gangwan/contracts'
import { z } from 'zod'
import type { Mutation, NewAuditEntry } from '../incidents/incident-store.ts'
import type { Route } from './route-incident.ts'
import { stepLimitMs } from './sla.ts'
import { TRANSITIONS } from './transitions.ts'

type Details = NewAuditEntry['details']
type OptionalField = 'department' | 'handler' | 'routingRule' | 'dispatchedAt' | 'acceptedAt' | 'arrivedAt' | 'resolvedAt' | 'verifiedAt' | 'closedAt' | 'deadline' | 'feedback' | 'falseAlarmReason' | 'satisfied'

/** Sets or, for undefined, removes an optional field (an absent field, not a key holding undefined). */
function put<K extends OptionalField> (incident: Incident, key: K, value: Incident[K] | undefined): void {
  if (value === undefined) delete incident[key]
  else incident[key] = value
}

function invalid (message: string): GangwanError {
  return new GangwanError('GW_ERR_DISPATCH_INVALID_ACTION', message)
}

function department (community: Community, id: string): Department {
  const d = community.departments.find((x) => x.id === id)
  if (d === undefined) throw invalid(`unknown department "${id}"`)
  return d
}

function checkHandler (d: Department, handler: string): string {
  if (!d.handlers.some((h) => h.id === handler)) throw invalid(`handler "${handler}" is not in department "${d.id}"`)
  return handler
}

/** A suggested handler (e.g. the least busy) counts only if it works for the department. */
function suggested (d: Department, handler: string | undefined): string | undefined {
  return handler !== undefined && d.handlers.some((h) => h.id === handler) ? handler : undefined
}

/** Starts an SLA step now at the incident's tier (DOMAIN.md §6: the clock starts at dispatch). */
function startStep (next: Incident, community: Community, step: SlaStep, now: number): void {
  next.deadline = { step, tier: next.tier, dueAt: now + stepLimitMs(community.dispatch, next, step, next.tier), startedAt: now }
}

/** Back to a fresh dispatch: tier 0, nobody notified by escalation, the accept step from now. */
function restartDispatch (next: Incident, community: Community, now: number): void {
  next.tier = 0
  next.escalatedTo = []
  next.dispatchedAt = now
  for (const k of ['acceptedAt', 'arrivedAt', 'resolvedAt', 'verifiedAt', 'closedAt', 'feedback', 'falseAlarmReason', 'satisfied'] as const) put(next, k, undefined)
  startStep(next, community, 'accept', now)
}

/**
 * Applies a person's action to an incident (GB/T 30428 closed loop, DOMAIN.md §6; the table is
 * {@link TRANSITIONS}): the changed incident (`version` + 1, `updatedAt` = now) and one audit entry
 * with who, from and to which status, the note or reason, and the details (department, handler,
 * evidence, satisfaction).
 *
 * - `dispatch` starts the clock: department = `action.department` ?? `env.route.department`
 *   (none: `GW_ERR_DISPATCH_NO_ROUTE`), handler = `action.handler` ?? `env.handler` (the latter
 *   only if it works there); re-dispatching resets the tier and the acceptance.
 * - `accept`, `arrive` start the next step's deadline at the current tier; `resolve` records the
 *   feedback and stops the clock; `reject` sends it back on site (rework) with a fresh resolve step.
 * - `false_alarm` ends it from any open status; `reopen` dispatches a final incident again (rework),
 *   to its department or, when it had none, to `env.route`'s.
 *
 * Errors: `GW_ERR_DISPATCH_INVALID_ACTION` (action does not parse, unknown department, handler not
 * in the department), `GW_ERR_DISPATCH_INVALID_TRANSITION` (the status does not allow it),
 * `GW_ERR_DISPATCH_NO_ROUTE` (nowhere to dispatch).
 *
 * @example
 * const { incident: next } = applyAction(incident, { type: 'accept' }, { type: 'user', id: 'h-li' }, now, { community })
 */
export function applyAction (incident: Incident, action: IncidentAction, actor: Actor, now: number, env: { community: Community; route?: Route; handler?: string }): Mutation {
  const parsed = IncidentActionSchema.safeParse(action)
  if (!parsed.success) throw invalid(z.prettifyError(parsed.error))
  const a = parsed.data
  const { from, to } = TRANSITIONS[a.type]
  if (!from.includes(incident.status)) {
    throw new GangwanError('GW_ERR_DISPATCH_INVALID_TRANSITION', `cannot ${a.type} an incident that is ${incident.status}`)
  }
  const { community } = env
  const status = to === 'unchanged' ? incident.status : to
  const next: Incident = { ...incident, status, version: incident.version + 1, updatedAt: now }
  const details: Details = {}
  let reason: string | undefined
  switch (a.type) {
    case 'dispatch': {
      const id = a.department ?? env.route?.department
      if (id === undefined) throw new GangwanError('GW_ERR_DISPATCH_NO_ROUTE', 'no department given and no routing rule resolves one')
      const d = department(community, id)
      const handler = a.handler !== undefined ? checkHandler(d, a.handler) : suggested(d, env.handler)
      next.department = d.id
      put(next, 'handler', handler)
      put(next, 'routingRule', env.route !== undefined && env.route.department === d.id ? env.route.rule : undefined)
      restartDispatch(next, community, now)
      reason = a.note
      Object.assign(details, { department: d.id }, handler !== undefined ? { handler } : {}, next.routingRule !== undefined ? { routingRule: next.routingRule } : {})
      break
    }
    case 'escalate': {
      const tiers = env.route?.escalation ?? []
      if (incident.tier >= tiers.length) {
        throw new GangwanError('GW_ERR_DISPATCH_INVALID_TRANSITION', `cannot escalate: the incident is at the top of its ladder (tier ${incident.tier})`)
      }
      const tier = incident.tier + 1
      const target = tiers[incident.tier]!
      next.tier = tier
      next.escalatedTo = [...incident.escalatedTo, target]
      // The running step starts over at the new tier, with that tier's limit (吹哨报到 from the whistle tier).
      if (incident.deadline !== undefined) next.deadline = { step: incident.deadline.step, tier, dueAt: now + stepLimitMs(community.dispatch, incident, incident.deadline.step, tier), startedAt: now }
      reason = a.reason
      Object.assign(details, { tier, department: target, manual: true })
      break
    }
    case 'accept': {
      const d = incident.department === undefined ? undefined : community.departments.find((x) => x.id === incident.department)
      let handler = incident.handler
      if (a.handler !== undefined) {
        if (d === undefined) throw invalid(`incident has no known department to take handler "${a.handler}"`)
        handler = checkHandler(d, a.handler)
      } else if (actor.type === 'user' && d !== undefined && suggested(d, actor.id) !== undefined) {
        handler = actor.id
      }
      put(next, 'handler', handler)
      next.acceptedAt = now
      startStep(next, community, 'arrive', now)
      reason = a.note
      if (handler !== undefined) details.handler = handler
      break
    }
    case 'arrive':
      next.arrivedAt = now
      startStep(next, community, 'resolve', now)
      reason = a.note
      break
    case 'resolve':
      next.feedback = { note: a.note, ...(a.evidence !== undefined ? { evidence: a.evidence } : {}), by: actor.id, at: now }
      next.resolvedAt = now
      put(next, 'deadline', undefined)
      reason = a.note
      if (a.evidence !== undefined) details.evidence = a.evidence
      break
    case 'verify':
      next.verifiedAt = now
      reason = a.note
      break
    case 'reject':
      next.reworkCount = incident.reworkCount + 1
      put(next, 'resolvedAt', undefined)
      startStep(next, community, 'resolve', now)
      reason = a.reason
      details.reworkCount = next.reworkCount
      break
    case 'close':
      next.closedAt = now
      put(next, 'satisfied', a.satisfied)
      reason = a.note
      if (a.satisfied !== undefined) details.satisfied = a.satisfied
      break
    case 'false_alarm':
      next.falseAlarmReason = a.reason
      next.closedAt = now
      put(next, 'deadline', undefined)
      reason = a.reason
      break
    case 'reopen': {
      const rerouted = incident.department === undefined
      const id = incident.department ?? env.route?.department
      if (id === undefined) throw new GangwanError('GW_ERR_DISPATCH_NO_ROUTE', 'the incident has no department and no routing rule resolves one')
      const d = department(community, id)
      if (rerouted) {
        put(next, 'handler', suggested(d, env.handler))
        put(next, 'routingRule', env.route?.rule)
      }
      next.department = d.id
      next.reworkCount = incident.reworkCount + 1
      restartDispatch(next, community, now)
      reason = a.reason
      Object.assign(details, { department: d.id, reworkCount: next.reworkCount }, next.handler !== undefined ? { handler: next.handler } : {})
      break
    }
  }
  // A manual escalation reads like the SLA timer's in the timeline, with the person as its actor.
  const entry: NewAuditEntry = { at: now, actor, event: a.type === 'escalate' ? 'escalated' : a.type, fromStatus: incident.status, toStatus: status, details }
  if (reason !== undefined) entry.reason = reason
  return { incident: next, audit: [entry] }
}
