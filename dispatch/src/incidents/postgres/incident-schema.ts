/** Version of the incident store's tables, kept in `schema_versions` under `incident-store`. */
export const PG_INCIDENT_SCHEMA_VERSION = 1

/**
 * The incident store's tables, mirroring the SQLite store (`sqlite/open-incident-database.ts`);
 * `$S` is the quoted schema, which may be the alert queue's (every name starts with `incident`).
 * `incidents.incident` is the incident exactly as validated; the other columns are copies for
 * filters and indexes. `num` is the number in the id, from `incident_numbers` (creation order, the
 * tie-breaker of every sort). `due_at` is the running deadline, NULL when there is none or the
 * incident is final, so `incidents_due` holds exactly the open deadlines. `incidents_open_queue` is
 * the operator queue's order (`sort: 'queue'`; a B-tree's ascending default puts NULLs last). `incident_audit.seq` is
 * drawn under the store's audit lock and committed before the next is drawn (see
 * `create-postgres-incident-store.ts`), so a reader paging by seq never skips an entry.
 */
export const INCIDENT_DDL = `
CREATE SEQUENCE IF NOT EXISTS $S.incident_numbers;
CREATE TABLE IF NOT EXISTS $S.incidents (
  id text COLLATE "C" PRIMARY KEY,
  num bigint NOT NULL UNIQUE,
  status text NOT NULL,
  category text NOT NULL,
  severity text COLLATE "C" NOT NULL,
  grid text NOT NULL,
  department text,
  handler text,
  building text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  due_at bigint,
  version integer NOT NULL,
  incident jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_created ON $S.incidents (created_at, num);
CREATE INDEX IF NOT EXISTS incidents_updated ON $S.incidents (updated_at, num);
CREATE INDEX IF NOT EXISTS incidents_status ON $S.incidents (status, num);
CREATE INDEX IF NOT EXISTS incidents_category ON $S.incidents (category, severity, num);
CREATE INDEX IF NOT EXISTS incidents_grid ON $S.incidents (grid, num);
CREATE INDEX IF NOT EXISTS incidents_building ON $S.incidents (building, num);
CREATE INDEX IF NOT EXISTS incidents_department ON $S.incidents (department, handler);
CREATE INDEX IF NOT EXISTS incidents_due ON $S.incidents (due_at, num) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS incidents_open_handler ON $S.incidents (department, handler) WHERE status NOT IN ('closed', 'false_alarm');
CREATE INDEX IF NOT EXISTS incidents_open_severity ON $S.incidents (severity, num) WHERE status NOT IN ('closed', 'false_alarm');
CREATE INDEX IF NOT EXISTS incidents_open_queue ON $S.incidents (severity, due_at, created_at, num) WHERE status NOT IN ('closed', 'false_alarm');
CREATE TABLE IF NOT EXISTS $S.incident_scopes (
  scope_key text NOT NULL,
  incident_id text COLLATE "C" NOT NULL REFERENCES $S.incidents (id),
  open boolean NOT NULL,
  PRIMARY KEY (scope_key, incident_id)
);
CREATE INDEX IF NOT EXISTS incident_scopes_incident ON $S.incident_scopes (incident_id);
CREATE INDEX IF NOT EXISTS incident_scopes_open ON $S.incident_scopes (scope_key) WHERE open;
CREATE TABLE IF NOT EXISTS $S.incident_alerts (
  alert_key text PRIMARY KEY,
  incident_id text COLLATE "C" NOT NULL REFERENCES $S.incidents (id),
  alert jsonb NOT NULL,
  alert_version bigint NOT NULL,
  merge_rule text NOT NULL,
  reason text NOT NULL,
  linked_at bigint NOT NULL,
  link_order bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_alerts_incident ON $S.incident_alerts (incident_id, link_order);
CREATE TABLE IF NOT EXISTS $S.incident_audit (
  seq bigserial PRIMARY KEY,
  incident_id text COLLATE "C" NOT NULL REFERENCES $S.incidents (id),
  entry jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_audit_incident ON $S.incident_audit (incident_id, seq);`
