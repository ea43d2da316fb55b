import { GangwanError } from '@gangwan/contracts'
import { DatabaseSync } from 'node:sqlite'

/** Schema version kept in `PRAGMA user_version`; a file written by a newer version is refused. */
export const AUTH_SCHEMA_VERSION = 1

/**
 * Secrets are columns of SHA-256 hashes (`token_hash`), never the secrets themselves: a copy of
 * the file lets nobody log in. Sessions go with their user (ON DELETE CASCADE).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sessions (
  token_hash BLOB PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;`

/**
 * Opens (creating if needed) the auth SQLite file in WAL mode with a busy timeout, so the hub and
 * a separate dashboard process may share it. Throws `GW_ERR_AUTH_STORE_UNAVAILABLE` when the file
 * cannot be used or was written by a newer schema.
 */
export function openAuthDatabase (path: string, busyTimeoutMs: number): DatabaseSync {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(path)
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`)
    db.exec('PRAGMA journal_mode = WAL')
    // A token or user shown as created must survive a power cut; writes are rare (logins, admin
    // work, idle-clock touches at most every 30 s per session), so the fsync per commit is cheap.
    db.exec('PRAGMA synchronous = FULL')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec('BEGIN IMMEDIATE')
    const { user_version: found } = db.prepare('PRAGMA user_version').get() as { user_version: number }
    if (found > AUTH_SCHEMA_VERSION) {
      db.exec('ROLLBACK')
      throw new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', `${path}: auth schema ${found} is newer than ${AUTH_SCHEMA_VERSION}`)
    }
    db.exec(SCHEMA)
    db.exec(`PRAGMA user_version = ${AUTH_SCHEMA_VERSION}`)
    db.exec('COMMIT')
    return db
  } catch (err) {
    if (db?.isOpen === true) {
      if (db.isTransaction) db.exec('ROLLBACK')
      db.close()
    }
    if (err instanceof GangwanError) throw err
    throw new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', `${path}: ${(err as Error).message}`, { cause: err })
  }
}
