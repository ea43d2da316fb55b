/** Version of the alert queue's tables, kept in `schema_versions` under `alert-queue`. */
export const PG_QUEUE_SCHEMA_VERSION = 1

/**
 * The alert queue's tables, mirroring the SQLite file (`open-queue-database.ts`); `$S` is the
 * quoted schema. Keys and consumer names collate as `"C"` (byte order), so `list` pages in the
 * same order as SQLite whatever the database's locale. `alerts_one_open` enforces one open
 * episode per (rule, subject) even against a writer that skipped the check. `changes.id` is
 * assigned by `put` under the queue's advisory lock (newest id + 1): ids are gapless and commit
 * in order, so a cursor never skips a change and the newest id is the log's length.
 * `refused` holds one row per refused (key, version), so a replay counts nothing twice.
 */
export const QUEUE_DDL = `
CREATE TABLE IF NOT EXISTS $S.alerts (
  key text COLLATE "C" PRIMARY KEY,
  rule_id text NOT NULL,
  subject text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'cleared')),
  category text NOT NULL,
  version bigint NOT NULL,
  alert jsonb NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open ON $S.alerts (rule_id, subject) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS alerts_state_key ON $S.alerts (state, key);
CREATE INDEX IF NOT EXISTS alerts_category_key ON $S.alerts (category, key);
CREATE TABLE IF NOT EXISTS $S.changes (
  id bigint PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('opened', 'updated', 'cleared')),
  key text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  at bigint NOT NULL,
  alert jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS $S.cursors (
  consumer text COLLATE "C" PRIMARY KEY,
  acked_id bigint NOT NULL,
  at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS $S.refused (
  key text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  open_key text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (key, version)
);`
