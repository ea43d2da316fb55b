import type { Incident } from '@gangwan/contracts'

/**
 * The fields of an incident the operator queue needs: its row (severity, id, title, category,
 * location, department, status, SLA countdown), its filters and text search (grid, department,
 * handler, devices), its order (severity, deadline, creation) and the compact summary and actions
 * beside it (alert count, version). What only the detail page shows (merge and routing rules and
 * reasons, escalation ladder, missed steps, feedback, later timestamps) is left out: `mergeReason`
 * alone is about a fifth of an incident's JSON.
 *
 * Imports nothing at run time, so the console shares the list without bundling zod.
 */
export const QUEUE_INCIDENT_FIELDS = [
  'id', 'version', 'status', 'category', 'severity', 'title', 'location', 'department', 'handler', 'tier',
  'alertCount', 'devices', 'createdAt', 'updatedAt', 'dispatchedAt', 'acceptedAt', 'arrivedAt', 'deadline'
] as const satisfies ReadonlyArray<keyof Incident>

/** An incident as `GET /incidents?view=queue` lists it. */
export type QueueIncident = Pick<Incident, (typeof QUEUE_INCIDENT_FIELDS)[number]>

/**
 * The queue's projection of an incident: the {@link QUEUE_INCIDENT_FIELDS} it has, in that order.
 *
 * @example queueIncident(incident) // { id: 'INC-000001', version: 3, status: 'dispatched', … } without mergeReason
 */
export function queueIncident (incident: Incident): QueueIncident {
  const out: Record<string, unknown> = {}
  for (const k of QUEUE_INCIDENT_FIELDS) if (incident[k] !== undefined) out[k] = incident[k]
  return out as QueueIncident
}
