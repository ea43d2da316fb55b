import type { DatabaseSync } from 'node:sqlite'
import { FINAL_INCIDENT_STATUSES, type Alert, type AuditEntry, type Incident } from '@gangwan/contracts'
import type { NewAuditEntry } from '../incident-store.ts'
import { dueAtOf } from './validate-change.ts'

/** A link row as prefetched for an alert key. */
export interface StoredLink { incidentId: string, alertVersion: number }

/** The write statements of the SQLite incident store; each runs inside the caller's transaction. */
export interface IncidentWrites {
  /** The next incident number (committed with the transaction, so never handed out twice). */
  nextNumber: () => number
  insert: (incident: Incident, num: number) => void
  /** Overwrites the incident stored at version `storedVersion`. */
  update: (incident: Incident, storedVersion: number) => void
  addScopes: (incidentId: string, keys: readonly string[]) => void
  /**
   * Links `alert` to the incident. Linked to it already: refreshes the stored alert only (first
   * link time, order, merge rule and reason are kept). Linked elsewhere or not at all: a new link,
   * last in the incident's order, with this merge rule and reason (an alert has one incident).
   */
  link: (alert: Alert, incidentId: string, link: { mergeRule: string, reason: string }, existing: StoredLink | undefined) => void
  /** Replaces the stored alert of an existing link; false when the key is not linked. */
  relink: (alert: Alert) => boolean
  /** Appends the entries in order, numbering them; returns them as stored. */
  audit: (incidentId: string, entries: readonly NewAuditEntry[]) => AuditEntry[]
}

/**
 * Prepares the incident store's write statements on `db`; `now` stamps a new link's `linkedAt`.
 *
 * @example const writes = prepareIncidentWrites(db, Date.now); writes.insert(incident, writes.nextNumber())
 */
export function prepareIncidentWrites (db: DatabaseSync, now: () => number): IncidentWrites {
  const counter = db.prepare(`INSERT INTO incident_counter (name, last) VALUES ('incident', 1)
    ON CONFLICT (name) DO UPDATE SET last = last + 1 RETURNING last`)
  const insertRow = db.prepare(`INSERT INTO incidents (id, num, status, category, severity, grid, department, handler, building,
    created_at, updated_at, due_at, version, incident) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const updateRow = db.prepare(`UPDATE incidents SET status = ?, category = ?, severity = ?, grid = ?, department = ?, handler = ?,
    building = ?, created_at = ?, updated_at = ?, due_at = ?, version = ?, incident = ? WHERE id = ? AND version = ?`)
  // A scope row is open while its incident is: merge candidates are looked up among open rows only.
  const scope = db.prepare(`INSERT OR IGNORE INTO incident_scopes (scope_key, incident_id, open)
    SELECT ?, id, status NOT IN ('closed', 'false_alarm') FROM incidents WHERE id = ?`)
  const scopesOpen = db.prepare('UPDATE incident_scopes SET open = ? WHERE incident_id = ? AND open <> ?')
  const newLink = db.prepare(`INSERT OR REPLACE INTO incident_alerts (alert_key, incident_id, alert, alert_version, merge_rule, reason, linked_at, link_order)
    VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(link_order), 0) + 1 FROM incident_alerts WHERE incident_id = ?))`)
  const refresh = db.prepare('UPDATE incident_alerts SET alert = ?, alert_version = ? WHERE alert_key = ?')
  const append = db.prepare('INSERT INTO incident_audit (incident_id, entry) VALUES (?, ?)')

  /** The indexed copies of an incident's fields, in the column order of both statements. */
  const columns = (i: Incident): Array<string | number | null> => [i.status, i.category, i.severity, i.location.grid, i.department ?? null,
    i.handler ?? null, i.location.building ?? null, i.createdAt, i.updatedAt, dueAtOf(i) ?? null, i.version, JSON.stringify(i)]

  return {
    nextNumber: () => Number((counter.get() as { last: number }).last),
    insert (incident, num) { insertRow.run(incident.id, num, ...columns(incident)) },
    update (incident, storedVersion) {
      // The caller read the row in this transaction; the version guard makes a slip visible.
      if (Number(updateRow.run(...columns(incident), incident.id, storedVersion).changes) !== 1) {
        throw new Error(`incident ${incident.id} is no longer at version ${storedVersion}`)
      }
      const open = FINAL_INCIDENT_STATUSES.includes(incident.status) ? 0 : 1
      scopesOpen.run(open, incident.id, open)
    },
    addScopes (incidentId, keys) { for (const key of keys) scope.run(key, incidentId) },
    link (alert, incidentId, link, existing) {
      if (existing?.incidentId === incidentId) refresh.run(JSON.stringify(alert), alert.version, alert.key)
      else newLink.run(alert.key, incidentId, JSON.stringify(alert), alert.version, link.mergeRule, link.reason, now(), incidentId)
    },
    relink: (alert) => Number(refresh.run(JSON.stringify(alert), alert.version, alert.key).changes) === 1,
    audit (incidentId, entries) {
      return entries.map((e) => {
        const stored = { ...e, incidentId }
        const seq = Number(append.run(incidentId, JSON.stringify(stored)).lastInsertRowid)
        return { seq, ...stored }
      })
    }
  }
}
