import type { Actor, AuditEntry, Incident, IncidentAction } from '@gangwan/contracts'
import type { IncidentQuery, LinkedAlert } from '../incidents/incident-store.ts'
import type { MetricsQuery, MetricsReport } from '../domain/metrics.ts'

/** One change on the live stream: the audit entry and the incident as it is after it. */
export interface IncidentEvent { entry: AuditEntry; incident: Incident }

/**
 * The incident workflow, as the dashboard's API uses it. `createDispatch` composes it from an
 * alert queue (the producer side), an incident store and the community's dispatch settings:
 * alerts become incidents (merged, routed, auto-dispatched), SLA deadlines escalate on time,
 * and people act on incidents through `act`.
 *
 * Authorization is the caller's job (roles live in the dashboard); `act` enforces the lifecycle:
 * an action the status does not allow rejects with `GW_ERR_DISPATCH_INVALID_TRANSITION`, a stale
 * `expectedVersion` with `GW_ERR_DISPATCH_STALE`, an unknown id with `GW_ERR_DISPATCH_NOT_FOUND`,
 * bad arguments (unknown department, …) with `GW_ERR_DISPATCH_INVALID_ACTION`.
 *
 * @example
 * const dispatch = createDispatch({ queue, store, community, log })
 * await dispatch.start()
 * const incident = await dispatch.act('INC-000001', { type: 'accept' }, { type: 'user', id: 'h-li', role: 'handler' }, 3)
 */
export interface Dispatch {
  /** Starts consuming alerts and the SLA timer. */
  start: () => Promise<void>
  /** Stops both, waiting for the change in progress; does not close the stores. */
  stop: () => Promise<void>
  act: (id: string, action: IncidentAction, actor: Actor, expectedVersion?: number) => Promise<Incident>
  get: (id: string) => Promise<Incident | undefined>
  list: (query?: IncidentQuery) => Promise<{ items: Incident[]; total: number }>
  timeline: (id: string) => Promise<AuditEntry[]>
  alerts: (id: string) => Promise<LinkedAlert[]>
  metrics: (query: MetricsQuery) => Promise<MetricsReport>
  /** Changes after `afterSeq` (to catch up a live stream after a reconnect). */
  changesSince: (afterSeq: number, limit: number) => Promise<IncidentEvent[]>
  /** Calls `listener` for every change made from now on (in this process, or polled from a shared store). Returns the unsubscribe function. */
  subscribe: (listener: (event: IncidentEvent) => void) => () => void
  /** Turns every alert change waiting in the queue into incident changes now; resolves with how many alert changes it handled. */
  pump: () => Promise<number>
  /** Escalates every incident due at the current time now; resolves with how many escalated. */
  tick: () => Promise<number>
}
