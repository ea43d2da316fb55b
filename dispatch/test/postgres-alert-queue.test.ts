import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import pino from 'pino'
import { createPostgresAlertQueue } from '../src/index.ts'
import { ADVISORY_LOCK_CLASS } from '../src/queue/postgres/run-transaction.ts'
import { eventually } from '../../test-support/eventually.ts'
import { alertQueueContract } from './support/alert-queue-contract.ts'
import { makeAlert } from './support/make-alert.ts'
import { createTempDatabase, endPool, withClient, type TempDatabase } from '../../test-support/postgres.ts'

let db: TempDatabase
beforeAll(async () => { db = await createTempDatabase('alert_queue') })
afterAll(async () => { await db.drop() })
const log = pino({ level: 'silent' })

// Each contract store is a schema of its own in this file's database.
alertQueueContract('PostgreSQL', (store, opts) => createPostgresAlertQueue({ connectionString: db.url, schema: store, ...opts }))

/** Holds the queue's put lock for `schema` from a connection of its own while `fn` runs. */
async function holdingPutLock<T> (schema: string, fn: () => Promise<T>): Promise<T> {
  return await withClient(db.url, async (c) => {
    await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [ADVISORY_LOCK_CLASS, `alert-queue:${schema}`])
    return await fn()
  })
}

describe('PostgreSQL alert queue database', () => {
  test('its partial unique index stops a second open episode written behind the queue', async () => {
    const q = createPostgresAlertQueue({ connectionString: db.url, schema: 'raw', log })
    try {
      await q.put([makeAlert()])
      await withClient(db.url, async (c) => {
        const insert = "INSERT INTO raw.alerts (key, rule_id, subject, state, category, version, alert) VALUES ($1, 'fire.smoke', 'B03-F12-S01', $2, 'fire', 1, '{}')"
        await expect(c.query(insert, ['second-open', 'open'])).rejects.toMatchObject({ code: '23505', constraint: 'alerts_one_open' })
        expect((await c.query(insert, ['second-cleared', 'cleared'])).rowCount).toBe(1)
      })
    } finally {
      await q.close()
    }
  })

  test('a put that cannot take the lock in time rejects with GW_ERR_QUEUE_UNAVAILABLE, stores nothing, and the next put works', async () => {
    const q = createPostgresAlertQueue({ connectionString: db.url, schema: 'locked', log, lockTimeoutMs: 100 })
    try {
      await q.stats() // creates the tables before the lock is held
      await holdingPutLock('locked', async () => {
        await expect(q.put([makeAlert()])).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/lock timeout/) })
      })
      expect(await q.changesSince(0, 10)).toEqual([])
      await q.put([makeAlert()])
      expect(await q.open()).toHaveLength(1)
    } finally {
      await q.close()
    }
  })

  test('a put whose connection the server ends rejects with GW_ERR_QUEUE_UNAVAILABLE, stores nothing, and the next put works', async () => {
    const q = createPostgresAlertQueue({ connectionString: db.url, schema: 'killed', log })
    try {
      await q.stats()
      await holdingPutLock('killed', async () => {
        // Settled into a value at once: it rejects while the test is still ending the connection.
        const put = q.put([makeAlert()]).then(() => 'resolved', (err: unknown) => err)
        const pid = await eventually(async () => await withClient(db.url, async (c) => (await c.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'", [db.name])).rows[0]?.pid), 20_000, 'the put waiting for the lock')
        await withClient(db.url, async (c) => await c.query('SELECT pg_terminate_backend($1)', [pid]))
        expect(await put).toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/terminat/) })
      })
      expect(await q.changesSince(0, 10)).toEqual([])
      await q.put([makeAlert()])
      expect((await q.changesSince(0, 10)).map((c) => c.type)).toEqual(['opened'])
    } finally {
      await q.close()
    }
  })

  test('a server that cannot be reached fails every call with GW_ERR_QUEUE_UNAVAILABLE', async () => {
    const q = createPostgresAlertQueue({ connectionString: 'postgres://postgres@127.0.0.1:1/none', log })
    try {
      for (const call of [() => q.put([makeAlert()]), () => q.open(), () => q.read('c', 1), () => q.ack('c', 1), () => q.stats()]) {
        await expect(call()).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/) })
      }
    } finally {
      await q.close()
    }
  })

  test('tables written by a newer schema version are refused with GW_ERR_QUEUE_UNAVAILABLE', async () => {
    await withClient(db.url, async (c) => {
      await c.query('CREATE SCHEMA newer; CREATE TABLE newer.schema_versions (component text PRIMARY KEY, version integer NOT NULL)')
      await c.query("INSERT INTO newer.schema_versions VALUES ('alert-queue', 2)")
    })
    const q = createPostgresAlertQueue({ connectionString: db.url, schema: 'newer', log })
    try {
      await expect(q.open()).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/schema 2 is newer than 1/) })
    } finally {
      await q.close()
    }
  })

  test('an alert holding U+0000, which PostgreSQL cannot store, fails the whole put with GW_ERR_QUEUE_INVALID_ALERT', async () => {
    const q = createPostgresAlertQueue({ connectionString: db.url, schema: 'nul', log })
    try {
      const good = makeAlert({ subject: 'S1' })
      for (const bad of [makeAlert({ title: 'Smoke\u0000' }), makeAlert({ trigger: { values: { 'a\u0000': 1 }, window: { fromMs: 0, toMs: 1 } } })]) {
        await expect(q.put([good, bad])).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_INVALID_ALERT', message: expect.stringContaining('alerts[1]') })
      }
      expect(await q.stats()).toMatchObject({ changes: 0 })
    } finally {
      await q.close()
    }
  })

  test('a queue on a shared pool leaves the pool open when it closes', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 })
    try {
      const q = createPostgresAlertQueue({ pool, schema: 'shared', log })
      await q.put([makeAlert()])
      await q.close()
      await expect(q.open()).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE' })
      expect((await pool.query('SELECT count(*)::int AS n FROM shared.alerts')).rows).toEqual([{ n: 1 }])
    } finally {
      await endPool(pool)
    }
  })

  test.each([
    ['an empty schema name', () => createPostgresAlertQueue({ connectionString: 'postgres://x', schema: '', log }), RangeError],
    ['a schema name PostgreSQL would truncate', () => createPostgresAlertQueue({ connectionString: 'postgres://x', schema: 's'.repeat(64), log }), RangeError],
    ['neither a connection string nor a pool', () => createPostgresAlertQueue({ log } as never), TypeError]
  ])('%s throws at construction', (_, make, type) => {
    expect(make).toThrow(type)
  })
})
