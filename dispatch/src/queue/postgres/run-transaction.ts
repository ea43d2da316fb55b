import type { Pool, PoolClient } from 'pg'

/** Class id (first key) of every advisory lock Gangwan takes: 0x4757, "GW". */
export const ADVISORY_LOCK_CLASS = 0x4757

/**
 * Runs `fn` in one READ COMMITTED transaction on a connection of `pool` and commits, durably
 * (`synchronous_commit = on`, so a resolved change survives a server crash); on any error
 * rolls back and rethrows it. `lockTimeoutMs` bounds every lock wait inside (row locks and
 * `pg_advisory_xact_lock` alike), so a writer stuck behind a dead peer fails instead of hanging.
 * A connection whose ROLLBACK fails is broken and is destroyed instead of going back to the pool.
 *
 * @example
 * await runTransaction(pool, async (c) => { await c.query('SELECT pg_advisory_xact_lock(1, 2)') }, { lockTimeoutMs: 5000 })
 */
export async function runTransaction<T> (pool: Pool, fn: (client: PoolClient) => Promise<T>, opts: { lockTimeoutMs: number }): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  // A checked-out client that loses its connection emits 'error' (besides failing its query);
  // unheard, that would crash the process. pool.query() listens by itself, a transaction must.
  const onError = (err: Error): void => { broken = err }
  client.on('error', onError)
  try {
    // One round trip: a simple query may hold several statements when it has no parameters.
    // synchronous_commit = on whatever the server or role default: COMMIT returns once the WAL is flushed.
    await client.query(`BEGIN; SET LOCAL lock_timeout = ${Math.max(0, Math.trunc(opts.lockTimeoutMs))}; SET LOCAL synchronous_commit = on`)
    const out = await fn(client)
    await client.query('COMMIT')
    return out
  } catch (err) {
    try {
      await client.query('ROLLBACK')
    } catch (rollbackErr) {
      broken ??= rollbackErr as Error
    }
    throw err
  } finally {
    client.off('error', onError)
    client.release(broken)
  }
}

/**
 * Takes the transaction-scoped advisory lock `(ADVISORY_LOCK_CLASS, hashtext(name))`, held until
 * COMMIT or ROLLBACK. Run it as its own statement, before anything it guards is read: in READ
 * COMMITTED a statement's snapshot is taken when it starts, so reads in the same statement as the
 * wait could miss what the previous holder committed.
 *
 * @example await lockTransaction(client, 'alert-queue:public')
 */
export async function lockTransaction (client: { query: (text: string, values: unknown[]) => Promise<unknown> }, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK_CLASS, name])
}
