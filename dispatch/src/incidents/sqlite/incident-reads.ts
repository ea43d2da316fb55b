import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { GangwanError, IncidentSchema, INCIDENT_STATUSES, type Alert, type AuditEntry, type Incident, type IncidentStatus } from '@gangwan/contracts'
import type { AlertContext, IncidentStoreStats, LinkedAlert } from '../incident-store.ts'
import type { CheckedIncidentQuery, IncidentFilters } from './check-incident-arguments.ts'
import { filterSql, OPEN_SQL, orderSql } from './incident-filter-sql.ts'
import type { StoredLink } from './incident-writes.ts'

/**
 * Parses an incident as stored. Only validated incidents are written, so a failure means the file
 * was changed behind the store: `GW_ERR_DISPATCH_STORE_UNAVAILABLE`, not a crash further on.
 */
export function parseStoredIncident (json: string): Incident {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (err) {
    throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `a stored incident is not JSON: ${(err as Error).message}`, { cause: err })
  }
  const parsed = IncidentSchema.safeParse(value)
  if (!parsed.success) throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `a stored incident does not parse: ${parsed.error.message}`)
  return parsed.data
}

const parseEntry = (seq: number, json: string): AuditEntry => ({ seq, ...JSON.parse(json) as Omit<AuditEntry, 'seq'> })

/** Most distinct list/count statements kept prepared (one per combination of filters and order). */
const MAX_CACHED = 200

/**
 * The read statements of the SQLite incident store. Each function runs on the caller's
 * connection (inside its transaction when there is one) and takes checked arguments.
 *
 * @example const reads = prepareIncidentReads(db); reads.get('INC-000001')
 */
export function prepareIncidentReads (db: DatabaseSync) {
  const byId = db.prepare('SELECT version, incident FROM incidents WHERE id = ?')
  const linkedOf = db.prepare(`SELECT a.incident_id, a.alert_version, a.alert, i.incident FROM incident_alerts a
    JOIN incidents i ON i.id = a.incident_id WHERE a.alert_key = ?`)
  const candidatesOf = db.prepare(`SELECT incident FROM incidents WHERE ${OPEN_SQL} AND id IN
    (SELECT incident_id FROM incident_scopes WHERE open = 1 AND scope_key IN (SELECT value FROM json_each(?))) ORDER BY num`)
  const timelineOf = db.prepare('SELECT seq, entry FROM incident_audit WHERE incident_id = ? ORDER BY seq')
  const alertsOf = db.prepare('SELECT incident_id, alert, merge_rule, reason, linked_at FROM incident_alerts WHERE incident_id = ? ORDER BY link_order')
  const changesAfter = db.prepare(`SELECT a.seq, a.entry, i.incident FROM incident_audit a JOIN incidents i ON i.id = a.incident_id
    WHERE a.seq > ? ORDER BY a.seq LIMIT ?`)
  const dueBy = db.prepare('SELECT incident FROM incidents WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, num LIMIT ?')
  const nextDue = db.prepare('SELECT min(due_at) AS d FROM incidents WHERE due_at IS NOT NULL')
  const perHandler = db.prepare(`SELECT handler, count(*) AS n FROM incidents WHERE department = ? AND handler IS NOT NULL AND ${OPEN_SQL}
    GROUP BY handler ORDER BY handler`)
  const perStatus = db.prepare('SELECT status, count(*) AS n FROM incidents GROUP BY status')
  const overdue = db.prepare('SELECT count(*) AS n FROM incidents WHERE due_at IS NOT NULL AND due_at <= ?')
  const lastSeq = db.prepare('SELECT coalesce(max(seq), 0) AS n FROM incident_audit')
  const cached = new Map<string, StatementSync>()

  function statement (sql: string): StatementSync {
    let stmt = cached.get(sql)
    if (stmt === undefined) {
      if (cached.size >= MAX_CACHED) cached.clear()
      stmt = db.prepare(sql)
      cached.set(sql, stmt)
    }
    return stmt
  }
  const incidents = (rows: unknown[]): Incident[] => (rows as { incident: string }[]).map((r) => parseStoredIncident(r.incident))

  return {
    /** The stored incident and its version column, or undefined. */
    row (id: string): { version: number, incident: Incident } | undefined {
      const r = byId.get(id) as { version: number, incident: string } | undefined
      return r === undefined ? undefined : { version: r.version, incident: parseStoredIncident(r.incident) }
    },
    /** What `applyAlert` prefetches, and the link row the writes need. */
    context (alertKey: string, scopeKeys: readonly string[]): { ctx: AlertContext, link: StoredLink | undefined } {
      const ctx: AlertContext = { candidates: incidents(candidatesOf.all(JSON.stringify(scopeKeys))) }
      const r = linkedOf.get(alertKey) as { incident_id: string, alert_version: number, alert: string, incident: string } | undefined
      if (r === undefined) return { ctx, link: undefined }
      ctx.linked = { incident: parseStoredIncident(r.incident), alert: JSON.parse(r.alert) as Alert }
      return { ctx, link: { incidentId: r.incident_id, alertVersion: r.alert_version } }
    },
    list (q: CheckedIncidentQuery): { items: Incident[], total: number } {
      const { where, args } = filterSql(q)
      const total = Number((statement(`SELECT count(*) AS n FROM incidents ${where}`).get(...args) as { n: number }).n)
      const items = incidents(statement(`SELECT incident FROM incidents ${where} ${orderSql(q)} LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset))
      return { items, total }
    },
    all (f: IncidentFilters): Incident[] {
      const { where, args } = filterSql(f)
      return incidents(statement(`SELECT incident FROM incidents ${where} ORDER BY num`).all(...args))
    },
    timeline: (id: string): AuditEntry[] => (timelineOf.all(id) as { seq: number, entry: string }[]).map((r) => parseEntry(r.seq, r.entry)),
    alerts: (id: string): LinkedAlert[] => (alertsOf.all(id) as { incident_id: string, alert: string, merge_rule: string, reason: string, linked_at: number }[])
      .map((r) => ({ incidentId: r.incident_id, alert: JSON.parse(r.alert) as Alert, mergeRule: r.merge_rule, reason: r.reason, linkedAt: r.linked_at })),
    changesSince (afterSeq: number, limit: number): Array<{ entry: AuditEntry, incident: Incident }> {
      // One incident is parsed once per page however many of its entries the page holds.
      const seen = new Map<string, Incident>()
      return (changesAfter.all(afterSeq, limit) as { seq: number, entry: string, incident: string }[]).map((r) => {
        const entry = parseEntry(r.seq, r.entry)
        let incident = seen.get(entry.incidentId)
        if (incident === undefined) { incident = parseStoredIncident(r.incident); seen.set(entry.incidentId, incident) }
        return { entry, incident }
      })
    },
    due: (now: number, limit: number): Incident[] => incidents(dueBy.all(now, limit)),
    nextDueAt: (): number | undefined => (nextDue.get() as { d: number | null }).d ?? undefined,
    openByHandler: (department: string): Record<string, number> =>
      Object.fromEntries((perHandler.all(department) as { handler: string, n: number }[]).map((r) => [r.handler, r.n])),
    stats (now: number): IncidentStoreStats {
      const byStatus = Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, 0])) as Record<IncidentStatus, number>
      for (const r of perStatus.all() as { status: IncidentStatus, n: number }[]) byStatus[r.status] = r.n
      return { byStatus, overdue: (overdue.get(now) as { n: number }).n, lastSeq: (lastSeq.get() as { n: number }).n }
    }
  }
}

/** The read functions {@link prepareIncidentReads} returns. */
export type IncidentReads = ReturnType<typeof prepareIncidentReads>
