import { DatabaseSync } from 'node:sqlite'
import { retryWhileLocked } from './retry-while-locked.ts'

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** How long a connection waits for another's write lock (ms). */
  busyTimeoutMs: number
  /** `CREATE … IF NOT EXISTS` statements, run in one write transaction. */
  schema: string
  foreignKeys?: boolean
  /** Runs in the schema's transaction before `schema` (check or set `PRAGMA user_version`); a throw aborts the open. */
  migrate?: (db: DatabaseSync) => void
  /** The error to throw when the file cannot be used (the store's own "unavailable" code). */
  unavailable: (message: string, cause: unknown) => Error
}

/**
 * Opens a store's SQLite file: WAL, `synchronous = FULL` (the WAL is fsynced at every commit, so a
 * resolved change survives power loss, not only a crash), a busy timeout so that connections sharing
 * the file wait for the write lock instead of failing, and the schema created in one `BEGIN
 * IMMEDIATE` transaction. Several processes may open one file at once (see {@link retryWhileLocked}).
 * An error the caller's `migrate` throws is rethrown as is; any other failure becomes `unavailable`.
 *
 * @example const db = openSqlite(path, { busyTimeoutMs: 5000, schema: SCHEMA, unavailable: (m, c) => new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', m, { cause: c }) })
 */
export function openSqlite (path: string, opts: OpenSqliteOptions): DatabaseSync {
  return retryWhileLocked(() => openOnce(path, opts), opts.busyTimeoutMs)
}

class MigrateError extends Error {}

function openOnce (path: string, opts: OpenSqliteOptions): DatabaseSync {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(path)
    // First, so that even switching to WAL waits for a connection that is opening the same file.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs))}`)
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    if (opts.foreignKeys === true) db.exec('PRAGMA foreign_keys = ON')
    db.exec('BEGIN IMMEDIATE')
    try {
      opts.migrate?.(db)
    } catch (err) {
      throw new MigrateError('migrate', { cause: err })
    }
    db.exec(opts.schema)
    db.exec('COMMIT')
    return db
  } catch (err) {
    if (db?.isOpen === true) {
      if (db.isTransaction) db.exec('ROLLBACK')
      db.close()
    }
    if (err instanceof MigrateError) throw err.cause
    // Lock conflicts keep their message so that retryWhileLocked recognises them.
    throw opts.unavailable(`${path}: ${(err as Error).message}`, err)
  }
}
