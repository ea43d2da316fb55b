import type { DatabaseSync } from 'node:sqlite'
import { GangwanError } from '@gangwan/contracts'
import { openSqlite } from '../sqlite/open-sqlite.ts'

/** Schema version kept in `PRAGMA user_version`; a file written by a newer version is refused. */
export const QUEUE_SCHEMA_VERSION = 1

/**
 * `alerts` holds the newest version of each key; the JSON is the alert exactly as validated, the
 * other columns are copies for indexes and filters. `alerts_one_open` is what enforces one open
 * episode per (rule, subject): even a writer that skipped the check could not commit a second one.
 * `changes` is append-only (AUTOINCREMENT: ids are never reused, even after a rollback at the tail).
 * `refused` holds one row per refused (key, version), so a replay after a crash counts nothing twice.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  key TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'cleared')),
  category TEXT NOT NULL,
  version INTEGER NOT NULL,
  alert TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open ON alerts (rule_id, subject) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS alerts_state_key ON alerts (state, key);
CREATE INDEX IF NOT EXISTS alerts_category_key ON alerts (category, key);
CREATE TABLE IF NOT EXISTS changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL CHECK (type IN ('opened', 'updated', 'cleared')),
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  alert TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS cursors (
  consumer TEXT PRIMARY KEY,
  acked_id INTEGER NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS refused (
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  open_key TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (key, version)
) STRICT;`

/**
 * Opens (creating if needed) the queue's SQLite file: WAL, `synchronous = FULL` (the WAL is
 * fsynced at every commit, so a resolved `put` survives power loss, not only a process crash),
 * and a busy timeout so that several connections on one file wait for the write lock instead
 * of failing with SQLITE_BUSY. Throws `GW_ERR_QUEUE_UNAVAILABLE` when the file cannot be used.
 *
 * @example const db = openQueueDatabase('/var/lib/gangwan/dispatch.db', 5000)
 */
export function openQueueDatabase (path: string, busyTimeoutMs: number): DatabaseSync {
  return openSqlite(path, {
    busyTimeoutMs,
    schema: `${SCHEMA}\nPRAGMA user_version = ${QUEUE_SCHEMA_VERSION};`,
    migrate (db) {
      const { user_version: found } = db.prepare('PRAGMA user_version').get() as { user_version: number }
      if (found > QUEUE_SCHEMA_VERSION) throw new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', `${path}: queue schema ${found} is newer than ${QUEUE_SCHEMA_VERSION}`)
    },
    unavailable: (message, cause) => new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', message, { cause })
  })
}
