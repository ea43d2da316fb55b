import type { DatabaseSync } from 'node:sqlite'
import { GangwanError } from '@gangwan/contracts'
import { openSqlite } from '../../sqlite/open-sqlite.ts'

/**
 * The incident tables. They may live in the alert queue's file, so every name starts with
 * `incident` and the schema is created with `IF NOT EXISTS` without touching `PRAGMA user_version`
 * (the queue's). `incidents.incident` is the incident exactly as validated; the other columns are
 * copies for filters and indexes. `num` is the number in the id (creation order, the tie-breaker of
 * every sort). `due_at` is the running deadline, NULL when there is none or the incident is final, so
 * `incidents_due` holds exactly the open deadlines. `incidents_open_queue` is the operator queue's
 * order (`sort: 'queue'`, expressions as `orderSql` writes them): a page of it is read off the index
 * instead of sorting every open incident for each page. `incident_scopes.open` follows the incident's
 * status, so finding merge candidates reads only open incidents' scope rows, however many closed
 * incidents a year leaves under the same building or grid. `incident_counter` hands out id numbers: they
 * only grow, and a number is committed with its incident, so none is ever given to two incidents.
 * `incident_audit.seq` is AUTOINCREMENT: never reused, and in SQLite's one-writer world it commits in
 * order, so a reader paging by seq never skips an entry committed later with a smaller seq.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY,
  num INTEGER NOT NULL UNIQUE,
  status TEXT NOT NULL,
  category TEXT NOT NULL,
  severity TEXT NOT NULL,
  grid TEXT NOT NULL,
  department TEXT,
  handler TEXT,
  building TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  due_at INTEGER,
  version INTEGER NOT NULL,
  incident TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS incidents_created ON incidents (created_at, num);
CREATE INDEX IF NOT EXISTS incidents_updated ON incidents (updated_at, num);
CREATE INDEX IF NOT EXISTS incidents_status ON incidents (status, num);
CREATE INDEX IF NOT EXISTS incidents_department ON incidents (department, handler);
CREATE INDEX IF NOT EXISTS incidents_category ON incidents (category, severity, num);
CREATE INDEX IF NOT EXISTS incidents_grid ON incidents (grid, num);
CREATE INDEX IF NOT EXISTS incidents_building ON incidents (building, num);
CREATE INDEX IF NOT EXISTS incidents_due ON incidents (due_at, num) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS incidents_open_handler ON incidents (department, handler) WHERE status NOT IN ('closed', 'false_alarm');
CREATE INDEX IF NOT EXISTS incidents_open_severity ON incidents (severity, num) WHERE status NOT IN ('closed', 'false_alarm');
CREATE INDEX IF NOT EXISTS incidents_open_queue ON incidents (severity, due_at IS NULL, due_at, created_at, num) WHERE status NOT IN ('closed', 'false_alarm');
CREATE TABLE IF NOT EXISTS incident_scopes (
  scope_key TEXT NOT NULL,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  open INTEGER NOT NULL,
  PRIMARY KEY (scope_key, incident_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS incident_scopes_incident ON incident_scopes (incident_id);
CREATE INDEX IF NOT EXISTS incident_scopes_open ON incident_scopes (scope_key) WHERE open = 1;
CREATE TABLE IF NOT EXISTS incident_alerts (
  alert_key TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  alert TEXT NOT NULL,
  alert_version INTEGER NOT NULL,
  merge_rule TEXT NOT NULL,
  reason TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  link_order INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS incident_alerts_incident ON incident_alerts (incident_id, link_order);
CREATE TABLE IF NOT EXISTS incident_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  entry TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS incident_audit_incident ON incident_audit (incident_id, seq);
CREATE TABLE IF NOT EXISTS incident_counter (
  name TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;`

/**
 * Opens (creating if needed) the incident tables in a SQLite file: WAL, `synchronous = FULL` (the
 * WAL is fsynced at every commit, so a resolved change survives power loss, not only a crash),
 * foreign keys on, and a busy timeout so that connections sharing the file wait for the write lock
 * instead of failing with SQLITE_BUSY. Throws `GW_ERR_DISPATCH_STORE_UNAVAILABLE` when the file
 * cannot be used.
 *
 * @example const db = openIncidentDatabase('/var/lib/gangwan/dispatch.db', 5000)
 */
export function openIncidentDatabase (path: string, busyTimeoutMs: number): DatabaseSync {
  return openSqlite(path, {
    busyTimeoutMs,
    schema: SCHEMA,
    foreignKeys: true,
    unavailable: (message, cause) => new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', message, { cause })
  })
}
