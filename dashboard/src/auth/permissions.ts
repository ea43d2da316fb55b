import type { Incident, IncidentActionType } from '@gangwan/contracts'
import { z } from 'zod'

/** Console roles (DESIGN decision 11). A handler belongs to one department. */
export const ROLES = ['operator', 'dispatcher', 'handler', 'admin', 'viewer'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** What a role may do. `scope: 'department'` limits reading and acting to the principal's department. */
export interface RolePermissions {
  /** Incidents, timelines, alerts, metrics and the live stream. */
  read: boolean
  scope: 'all' | 'department'
  /** Incident actions it may take (the lifecycle still decides whether the status allows them). */
  actions: readonly IncidentActionType[]
  /** Users and API tokens. */
  manage: boolean
}

const HANDLER_ACTIONS = ['accept', 'arrive', 'resolve', 'false_alarm'] as const satisfies readonly IncidentActionType[]
const OPERATOR_ACTIONS = ['escalate', 'accept', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm'] as const satisfies readonly IncidentActionType[]
const DISPATCHER_ACTIONS = [...OPERATOR_ACTIONS, 'dispatch', 'reopen'] as const satisfies readonly IncidentActionType[]

/**
 * The one table of who may do what. Everything the API checks is read from here; the README's
 * roles table is this table in words.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, RolePermissions>> = Object.freeze({
  viewer: { read: true, scope: 'all', actions: [], manage: false },
  handler: { read: true, scope: 'department', actions: HANDLER_ACTIONS, manage: false },
  operator: { read: true, scope: 'all', actions: OPERATOR_ACTIONS, manage: false },
  dispatcher: { read: true, scope: 'all', actions: DISPATCHER_ACTIONS, manage: false },
  admin: { read: true, scope: 'all', actions: DISPATCHER_ACTIONS, manage: true }
})

/** Who is calling: a console user (by session) or an integrator's API token. */
export interface Principal {
  type: 'user' | 'token'
  /** User id (their login) or token id. */
  id: string
  name: string
  role: Role
  /** Set for handlers: the only department they see and work for. */
  department?: string
}

/**
 * The departments a principal is limited to: undefined when it sees every incident, else a list
 * (empty for a handler without a department, who then sees nothing).
 */
export function scopedDepartments (p: Principal): string[] | undefined {
  if (ROLE_PERMISSIONS[p.role].scope === 'all') return undefined
  return p.department === undefined ? [] : [p.department]
}

/** Whether the principal may see this incident at all. */
export function canSee (p: Principal, incident: Pick<Incident, 'department'>): boolean {
  if (!ROLE_PERMISSIONS[p.role].read) return false
  const depts = scopedDepartments(p)
  return depts === undefined || (incident.department !== undefined && depts.includes(incident.department))
}

/** Whether the principal's role may take `action` on this incident (ignoring the lifecycle). */
export function canAct (p: Principal, action: IncidentActionType, incident: Pick<Incident, 'department'>): boolean {
  return ROLE_PERMISSIONS[p.role].actions.includes(action) && canSee(p, incident)
}

/** Actions the role allows on this incident, in table order. */
export function actionsFor (p: Principal, incident: Pick<Incident, 'department'>): IncidentActionType[] {
  return canSee(p, incident) ? [...ROLE_PERMISSIONS[p.role].actions] : []
}
