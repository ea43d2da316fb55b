import type { AlertCategory, Incident, IncidentStatus, Severity } from '@gangwan/contracts'
import type { QueueIncident } from '../api/types.ts'

/** P1 first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { P1: 0, P2: 1, P3: 2, P4: 3 }

/** Statuses that end the loop (contracts' FINAL_INCIDENT_STATUSES, kept here so the bundle needs no zod). */
export const FINAL_STATUSES: readonly IncidentStatus[] = ['closed', 'false_alarm']
export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'dispatched', 'accepted', 'handling', 'resolved', 'verified']
export const ALL_STATUSES: readonly IncidentStatus[] = [...OPEN_STATUSES, ...FINAL_STATUSES]
export const CATEGORIES: readonly AlertCategory[] = ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'device_health']
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4']

export function isOpen (status: IncidentStatus): boolean {
  return !FINAL_STATUSES.includes(status)
}

/**
 * Queue order: severity (P1 first), then SLA time left (the running deadline; incidents without
 * one after those with one), then oldest first, then id. Time left sorts like the deadline itself,
 * so the order does not change as the clock ticks and needs no re-sort every second. The API lists
 * in the same order with `sort=queue` (dispatch's `orderSql`).
 */
export function compareIncidents (a: QueueIncident, b: QueueIncident): number {
  const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
  if (bySeverity !== 0) return bySeverity
  const da = a.deadline?.dueAt ?? Number.POSITIVE_INFINITY
  const db = b.deadline?.dueAt ?? Number.POSITIVE_INFINITY
  if (da !== db) return da < db ? -1 : 1
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** What the queue shows; an empty list means "any". */
export interface QueueFilter {
  categories: AlertCategory[]
  statuses: IncidentStatus[]
  grids: string[]
  departments: string[]
  severities: Severity[]
  /** Case-insensitive words matched against id, title, building and devices. */
  text: string
}

/** The default view: every open incident. */
export const DEFAULT_FILTER: QueueFilter = {
  categories: [], statuses: [...OPEN_STATUSES], grids: [], departments: [], severities: [], text: ''
}

export function matchesFilter (i: QueueIncident, f: QueueFilter): boolean {
  if (f.categories.length > 0 && !f.categories.includes(i.category)) return false
  if (f.statuses.length > 0 && !f.statuses.includes(i.status)) return false
  if (f.severities.length > 0 && !f.severities.includes(i.severity)) return false
  if (f.grids.length > 0 && !f.grids.includes(i.location.grid)) return false
  if (f.departments.length > 0 && (i.department === undefined || !f.departments.includes(i.department))) return false
  const text = f.text.trim().toLowerCase()
  if (text !== '') {
    const hay = [i.id, i.title, i.location.building ?? '', i.handler ?? '', ...i.devices].join(' ').toLowerCase()
    if (!text.split(/\s+/).every((w) => hay.includes(w))) return false
  }
  return true
}

/** The filtered queue, in queue order. */
export function orderQueue<T extends QueueIncident> (incidents: Iterable<T>, f: QueueFilter): T[] {
  const out: T[] = []
  for (const i of incidents) if (matchesFilter(i, f)) out.push(i)
  return out.sort(compareIncidents)
}

/** Whether this is the whole incident (from the live stream, an action or the detail), not the queue's projection. */
export function isFullIncident (i: QueueIncident): i is Incident {
  return 'mergeRule' in i
}

/**
 * Keeps the newest version of each incident: the initial pages and the live stream overlap, and
 * either may arrive first. Of two copies of one version the whole incident wins over the queue's
 * projection of it. Returns whether the map changed.
 */
export function upsertNewer (byId: Map<string, QueueIncident>, incident: QueueIncident): boolean {
  const known = byId.get(incident.id)
  if (known !== undefined && (known.version > incident.version ||
    (known.version === incident.version && (isFullIncident(known) || !isFullIncident(incident))))) return false
  byId.set(incident.id, incident)
  return true
}
