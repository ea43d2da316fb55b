import { FINAL_INCIDENT_STATUSES, type Alert, type AuditEntry, type Incident } from '@gangwan/contracts'
import type { NewAuditEntry } from '../incident-store.ts'
import { dueAtOf } from '../sqlite/validate-change.ts'
import { lockTransaction } from '../../queue/postgres/run-transaction.ts'
import type { Sql, StoredLink } from './incident-reads.ts'

/** The indexed copies of an incident's fields, in the column order of both row statements. */
const columns = (i: Incident): unknown[] => [i.status, i.category, i.severity, i.location.grid, i.department ?? null, i.handler ?? null,
  i.location.building ?? null, i.createdAt, i.updatedAt, dueAtOf(i) ?? null, i.version, JSON.stringify(i)]

/**
 * The write statements of the PostgreSQL incident store over the tables of schema `s` (quoted);
 * each runs on the connection of the caller's transaction. `auditLock` names the advisory lock
 * that orders audit entries; `now` stamps a new link's `linkedAt`.
 *
 * @example const writes = incidentWrites('"public"', 'incident-audit:public', Date.now); await writes.insert(client, incident, num)
 */
export function incidentWrites (s: string, auditLock: string, now: () => number) {
  /** Replaces the stored alert of an existing link; false when the key is not linked. */
  async function relink (db: Sql, alert: Alert): Promise<boolean> {
    const res = await db.query(`UPDATE ${s}.incident_alerts SET alert = $1, alert_version = $2 WHERE alert_key = $3`,
      [JSON.stringify(alert), alert.version, alert.key])
    return res.rowCount === 1
  }

  return {
    /** The next incident number. Drawn only once the plan is valid, so a domain bug leaves no gap. */
    async nextNumber (db: Sql): Promise<number> {
      return Number((await db.query<{ n: string }>(`SELECT nextval('${s}.incident_numbers') AS n`)).rows[0]!.n)
    },
    async insert (db: Sql, incident: Incident, num: number): Promise<void> {
      await db.query(`INSERT INTO ${s}.incidents (id, num, status, category, severity, grid, department, handler, building,
        created_at, updated_at, due_at, version, incident) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [incident.id, num, ...columns(incident)])
    },
    /** Overwrites the incident stored at version `storedVersion` (its row is locked by the caller). */
    async update (db: Sql, incident: Incident, storedVersion: number): Promise<void> {
      const res = await db.query(`UPDATE ${s}.incidents SET status = $1, category = $2, severity = $3, grid = $4, department = $5,
        handler = $6, building = $7, created_at = $8, updated_at = $9, due_at = $10, version = $11, incident = $12
        WHERE id = $13 AND version = $14`, [...columns(incident), incident.id, storedVersion])
      // The caller read the row locked in this transaction; the version guard makes a slip visible.
      if (res.rowCount !== 1) throw new Error(`incident ${incident.id} is no longer at version ${storedVersion}`)
      const open = !FINAL_INCIDENT_STATUSES.includes(incident.status)
      await db.query(`UPDATE ${s}.incident_scopes SET open = $1 WHERE incident_id = $2 AND open <> $1`, [open, incident.id])
    },
    async addScopes (db: Sql, incidentId: string, keys: readonly string[]): Promise<void> {
      if (keys.length === 0) return
      // A scope row is open while its incident is: merge candidates are looked up among open rows only.
      await db.query(`INSERT INTO ${s}.incident_scopes (scope_key, incident_id, open)
        SELECT k, i.id, i.status NOT IN ('closed', 'false_alarm') FROM unnest($1::text[]) AS k, ${s}.incidents i WHERE i.id = $2
        ON CONFLICT DO NOTHING`, [keys, incidentId])
    },
    /**
     * Links `alert` to the incident. Linked to it already: refreshes the stored alert only (first
     * link time, order, merge rule and reason kept). Linked elsewhere or not at all: a new link, last
     * in the incident's order, with this merge rule and reason (an alert has one incident). The
     * order is max + 1 of the incident's links: safe because `applyAlert`s are serialized.
     */
    async link (db: Sql, alert: Alert, incidentId: string, how: { mergeRule: string, reason: string }, existing: StoredLink | undefined): Promise<void> {
      if (existing?.incidentId === incidentId) { await relink(db, alert); return }
      await db.query(`INSERT INTO ${s}.incident_alerts (alert_key, incident_id, alert, alert_version, merge_rule, reason, linked_at, link_order)
        VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(link_order), 0) + 1 FROM ${s}.incident_alerts WHERE incident_id = $2))
        ON CONFLICT (alert_key) DO UPDATE SET incident_id = excluded.incident_id, alert = excluded.alert, alert_version = excluded.alert_version,
          merge_rule = excluded.merge_rule, reason = excluded.reason, linked_at = excluded.linked_at, link_order = excluded.link_order`,
      [alert.key, incidentId, JSON.stringify(alert), alert.version, how.mergeRule, how.reason, now()])
    },
    relink,
    /**
     * Appends the entries in order and returns them numbered. Takes the audit lock first: seqs are
     * drawn and committed one transaction at a time, so no entry commits below a seq a reader has
     * already passed. Call it last in the transaction, once every row lock is held.
     */
    async audit (db: Sql, incidentId: string, entries: readonly NewAuditEntry[]): Promise<AuditEntry[]> {
      if (entries.length === 0) return []
      await lockTransaction(db, auditLock)
      const out: AuditEntry[] = []
      for (const e of entries) {
        const stored = { ...e, incidentId }
        const { rows } = await db.query<{ seq: string }>(`INSERT INTO ${s}.incident_audit (incident_id, entry) VALUES ($1, $2) RETURNING seq`,
          [incidentId, JSON.stringify(stored)])
        out.push({ seq: Number(rows[0]!.seq), ...stored })
      }
      return out
    }
  }
}

/** The write functions {@link incidentWrites} returns. */
export type IncidentWrites = ReturnType<typeof incidentWrites>
