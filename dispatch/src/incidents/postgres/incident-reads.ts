import type { QueryResult, QueryResultRow } from 'pg'
import { GangwanError, IncidentSchema, INCIDENT_STATUSES, type Alert, type AuditEntry, type Incident, type IncidentStatus } from '@gangwan/contracts'
import type { AlertContext, IncidentStoreStats, LinkedAlert } from '../incident-store.ts'
import type { CheckedIncidentQuery, IncidentFilters } from '../sqlite/check-incident-arguments.ts'
import { filterSql, OPEN_SQL, orderSql } from './incident-filter-sql.ts'

/** A pool or a connection in a transaction: what a read runs on. */
export interface Sql { query: <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<QueryResult<R>> }

/** The link row of an alert key, as the writes need it. */
export interface StoredLink { incidentId: string, alertVersion: number }

/**
 * Parses an incident as stored. Only validated incidents are written, so a failure means the
 * table was changed behind the store: `GW_ERR_DISPATCH_STORE_UNAVAILABLE`, not a crash further on.
 */
export function parseStoredIncident (json: unknown): Incident {
  const parsed = IncidentSchema.safeParse(json)
  if (!parsed.success) throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `a stored incident does not parse: ${parsed.error.message}`)
  return parsed.data
}

const entryOf = (seq: string, entry: Omit<AuditEntry, 'seq'>): AuditEntry => ({ seq: Number(seq), ...entry })
const incidents = (rows: Array<{ incident: unknown }>): Incident[] => rows.map((r) => parseStoredIncident(r.incident))

/**
 * The read queries of the PostgreSQL incident store over the tables of schema `s` (quoted). Each
 * takes checked arguments and the pool, or the connection of the caller's transaction.
 *
 * @example const reads = incidentReads('"public"'); await reads.row(pool, 'INC-000001')
 */
export function incidentReads (s: string) {
  return {
    /** The stored incident and its version, or undefined; `lock` takes its row lock until COMMIT. */
    async row (db: Sql, id: string, lock = false): Promise<{ version: number, incident: Incident } | undefined> {
      const r = (await db.query<{ version: number, incident: unknown }>(`SELECT version, incident FROM ${s}.incidents WHERE id = $1
        ${lock ? 'FOR NO KEY UPDATE' : ''}`, [id])).rows[0]
      return r === undefined ? undefined : { version: r.version, incident: parseStoredIncident(r.incident) }
    },
    /**
     * What `applyAlert` prefetches, with the rows it may change locked until COMMIT: what `decide`
     * sees cannot change under it. `FOR NO KEY UPDATE` is the lock UPDATE itself takes; unlike
     * `FOR UPDATE` it lets another transaction's foreign-key checks through.
     */
    async context (db: Sql, alertKey: string, scopeKeys: readonly string[]): Promise<{ ctx: AlertContext, link: StoredLink | undefined }> {
      const linked = (await db.query<{ incident_id: string, alert_version: string, alert: Alert, incident: unknown }>(
        `SELECT a.incident_id, a.alert_version, a.alert, i.incident FROM ${s}.incident_alerts a
          JOIN ${s}.incidents i ON i.id = a.incident_id WHERE a.alert_key = $1 FOR NO KEY UPDATE OF i`, [alertKey])).rows[0]
      const candidates = (await db.query<{ incident: unknown }>(`SELECT incident FROM ${s}.incidents WHERE ${OPEN_SQL}
        AND id IN (SELECT incident_id FROM ${s}.incident_scopes WHERE open AND scope_key = ANY($1::text[])) ORDER BY num FOR NO KEY UPDATE`, [scopeKeys])).rows
      const ctx: AlertContext = { candidates: incidents(candidates) }
      if (linked === undefined) return { ctx, link: undefined }
      ctx.linked = { incident: parseStoredIncident(linked.incident), alert: linked.alert }
      return { ctx, link: { incidentId: linked.incident_id, alertVersion: Number(linked.alert_version) } }
    },
    /** One page and the number of matches, from one statement (one snapshot). */
    async list (db: Sql, q: CheckedIncidentQuery): Promise<{ items: Incident[], total: number }> {
      const params: unknown[] = []
      const where = filterSql(q, params)
      params.push(q.limit, q.offset)
      const order = orderSql(q)
      // One statement, one snapshot. No shared CTE: PostgreSQL would materialise every matching row
      // (JSONB included) to count it; separately the count can use an index and the page reads `limit` rows.
      const [r] = (await db.query<{ total: string, items: unknown[] }>(`SELECT (SELECT count(*) FROM ${s}.incidents ${where}) AS total,
        (SELECT coalesce(jsonb_agg(p.incident ORDER BY ${order}), '[]')
          FROM (SELECT * FROM ${s}.incidents ${where} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}) p) AS items`, params)).rows
      return { items: r!.items.map(parseStoredIncident), total: Number(r!.total) }
    },
    async all (db: Sql, f: IncidentFilters): Promise<Incident[]> {
      const params: unknown[] = []
      return incidents((await db.query<{ incident: unknown }>(`SELECT incident FROM ${s}.incidents ${filterSql(f, params)} ORDER BY num`, params)).rows)
    },
    async timeline (db: Sql, id: string): Promise<AuditEntry[]> {
      return (await db.query<{ seq: string, entry: Omit<AuditEntry, 'seq'> }>(`SELECT seq, entry FROM ${s}.incident_audit
        WHERE incident_id = $1 ORDER BY seq`, [id])).rows.map((r) => entryOf(r.seq, r.entry))
    },
    async alerts (db: Sql, id: string): Promise<LinkedAlert[]> {
      return (await db.query<{ incident_id: string, alert: Alert, merge_rule: string, reason: string, linked_at: string }>(
        `SELECT incident_id, alert, merge_rule, reason, linked_at FROM ${s}.incident_alerts WHERE incident_id = $1 ORDER BY link_order`, [id])).rows
        .map((r) => ({ incidentId: r.incident_id, alert: r.alert, mergeRule: r.merge_rule, reason: r.reason, linkedAt: Number(r.linked_at) }))
    },
    async changesSince (db: Sql, afterSeq: number, limit: number): Promise<Array<{ entry: AuditEntry, incident: Incident }>> {
      const rows = (await db.query<{ seq: string, entry: Omit<AuditEntry, 'seq'>, incident: unknown }>(`SELECT a.seq, a.entry, i.incident
        FROM ${s}.incident_audit a JOIN ${s}.incidents i ON i.id = a.incident_id WHERE a.seq > $1 ORDER BY a.seq LIMIT $2`, [afterSeq, limit])).rows
      // One incident is parsed once per page however many of its entries the page holds.
      const seen = new Map<string, Incident>()
      return rows.map((r) => {
        const entry = entryOf(r.seq, r.entry)
        let incident = seen.get(entry.incidentId)
        if (incident === undefined) { incident = parseStoredIncident(r.incident); seen.set(entry.incidentId, incident) }
        return { entry, incident }
      })
    },
    async due (db: Sql, now: number, limit: number): Promise<Incident[]> {
      return incidents((await db.query<{ incident: unknown }>(`SELECT incident FROM ${s}.incidents WHERE due_at IS NOT NULL AND due_at <= $1
        ORDER BY due_at, num LIMIT $2`, [now, limit])).rows)
    },
    async nextDueAt (db: Sql): Promise<number | undefined> {
      const d = (await db.query<{ d: string | null }>(`SELECT min(due_at) AS d FROM ${s}.incidents WHERE due_at IS NOT NULL`)).rows[0]?.d
      return d === null || d === undefined ? undefined : Number(d)
    },
    async openByHandler (db: Sql, department: string): Promise<Record<string, number>> {
      const rows = (await db.query<{ handler: string, n: number }>(`SELECT handler, count(*)::int AS n FROM ${s}.incidents
        WHERE department = $1 AND handler IS NOT NULL AND ${OPEN_SQL} GROUP BY handler ORDER BY handler`, [department])).rows
      return Object.fromEntries(rows.map((r) => [r.handler, r.n]))
    },
    /** Counts from one statement (one snapshot); `now` decides what is overdue. */
    async stats (db: Sql, now: number): Promise<IncidentStoreStats> {
      const [r] = (await db.query<{ by_status: Record<string, number>, overdue: string, last_seq: string }>(`SELECT
        (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM ${s}.incidents GROUP BY status) x) AS by_status,
        (SELECT count(*) FROM ${s}.incidents WHERE due_at IS NOT NULL AND due_at <= $1) AS overdue,
        (SELECT coalesce(max(seq), 0) FROM ${s}.incident_audit) AS last_seq`, [now])).rows
      const byStatus = Object.fromEntries(INCIDENT_STATUSES.map((st) => [st, r!.by_status[st] ?? 0])) as Record<IncidentStatus, number>
      return { byStatus, overdue: Number(r!.overdue), lastSeq: Number(r!.last_seq) }
    }
  }
}

/** The read functions {@link incidentReads} returns. */
export type IncidentReads = ReturnType<typeof incidentReads>
