import { GangwanError } from '@gangwan/contracts'
import type { DatabaseSync } from 'node:sqlite'
import { openSqlite } from '@gangwan/dispatch'

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
 * Opens (creating if needed) the auth SQLite file with dispatch's `openSqlite` (WAL, `synchronous =
 * FULL`: a token or user shown as created survives a power cut, and writes are rare; a busy timeout,
 * so the hub and a separate dashboard process may share it). Throws `GW_ERR_AUTH_STORE_UNAVAILABLE`
 * when the file cannot be used or was written by a newer schema.
 */
export function openAuthDatabase (path: string, busyTimeoutMs: number): DatabaseSync {
  return openSqlite(path, {
    busyTimeoutMs,
    foreignKeys: true,
    schema: `${SCHEMA}\nPRAGMA user_version = ${AUTH_SCHEMA_VERSION};`,
    migrate (db) {
      const { user_version: found } = db.prepare('PRAGMA user_version').get() as { user_version: number }
      if (found > AUTH_SCHEMA_VERSION) throw new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', `${path}: auth schema ${found} is newer than ${AUTH_SCHEMA_VERSION}`)
    },
    unavailable: (message, cause) => new GangwanError('GW_ERR_AUTH_STORE_UNAVAILABLE', message, { cause })
  })
}
