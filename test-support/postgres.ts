// A throwaway PostgreSQL database per test file (the real server, trust auth): created with a
// random name, dropped with its connections after. GANGWAN_PG_URL points at the server's
// maintenance database; the default is the local one CI runs.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** Maintenance database of the test server. */
export const PG_ADMIN_URL = process.env.GANGWAN_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A temporary database: its name, a connection string to it, and how to drop it. */
export interface TempDatabase {
  name: string
  url: string
  drop: () => Promise<void>
}

async function admin<T> (fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * Creates an empty database named `gangwan_test_<label>_<random>`.
 *
 * @example
 * const db = await createTempDatabase('queue')
 * afterAll(db.drop)
 */
export async function createTempDatabase (label: string): Promise<TempDatabase> {
  const name = `gangwan_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(6).toString('hex')}`
  await admin(async (c) => await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`))
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    // WITH (FORCE) (PostgreSQL 13+) ends connections a failed test left open.
    drop: async () => { await admin(async (c) => await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)) }
  }
}

/**
 * Runs SQL on `url` over a connection of its own (to inspect tables or hold a lock behind a
 * store's back); the connection stays open until `fn` returns.
 *
 * @example await withClient(db.url, async (c) => await c.query('SELECT 1'))
 */
export async function withClient<T> (url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * Ends a pool the test opened and waits until every connection is closed. `pool.end()` resolves
 * before the sockets are gone, and a connection still closing when the database is dropped would
 * emit an error nobody listens to.
 *
 * @example await endPool(pool)
 */
export async function endPool (pool: pg.Pool): Promise<void> {
  let left = pool.totalCount
  const gone = new Promise<void>((resolve) => {
    if (left === 0) resolve()
    pool.on('remove', () => { if (--left === 0) resolve() })
  })
  await pool.end()
  await gone
}
