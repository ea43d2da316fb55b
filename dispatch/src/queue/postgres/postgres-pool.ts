import { Pool, escapeIdentifier } from 'pg'
import type { Logger } from 'pino'

/**
 * Where a PostgreSQL store finds its database: a connection string (the store opens a pool of its
 * own and ends it on `close()`), or a pool the caller shares between stores (the caller ends it and
 * listens to its `error` event; the store only borrows connections).
 */
export type PostgresConnection =
  | { connectionString: string, pool?: undefined }
  | { pool: Pool, connectionString?: undefined }

/** A pool and how to let go of it: `end` ends a pool the store opened, and leaves a borrowed one. */
export interface StorePool {
  pool: Pool
  end: () => Promise<void>
}

/** Connections an owned pool opens at most: puts serialize on a lock, so a few suffice. */
const OWNED_POOL_MAX = 4
/** How long an owned pool waits for a connection (ms): a dead server fails a call instead of hanging it. */
const CONNECT_TIMEOUT_MS = 5000

/**
 * Opens the pool a PostgreSQL store runs on. An owned pool logs (instead of crashing the process
 * on) the `error` an idle connection emits when the server goes away; the next call then gets a
 * fresh connection or fails with the store's unavailable code.
 *
 * @example const { pool, end } = openStorePool({ connectionString: 'postgres://postgres@127.0.0.1/gangwan' }, log)
 */
export function openStorePool (conn: PostgresConnection, log: Logger): StorePool {
  if (conn.pool !== undefined && conn.connectionString === undefined) return { pool: conn.pool, end: async () => {} }
  if (typeof conn.connectionString !== 'string' || conn.pool !== undefined) {
    throw new TypeError('a PostgreSQL store needs exactly one of connectionString and pool')
  }
  const pool = new Pool({
    connectionString: conn.connectionString,
    max: OWNED_POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'gangwan-dispatch'
  })
  pool.on('error', (err) => { log.warn({ err }, 'idle PostgreSQL connection failed') })
  let ended: Promise<void> | undefined
  return { pool, end: async () => { ended ??= pool.end(); await ended } }
}

/**
 * The quoted identifier of a PostgreSQL schema (1–63 characters, PostgreSQL's NAMEDATALEN − 1),
 * for table names built into SQL text; throws a RangeError for a name PostgreSQL would truncate.
 *
 * @example quoteSchema('dispatch') // '"dispatch"'
 */
export function quoteSchema (name: string): string {
  if (typeof name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 63 || name.includes('\0')) {
    throw new RangeError(`schema must be a name of 1 to 63 bytes, got ${JSON.stringify(name)}`)
  }
  return escapeIdentifier(name)
}
