import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import pino from 'pino'
import { createPostgresAlertQueue, createPostgresIncidentStore } from '../src/index.ts'
import { ADVISORY_LOCK_CLASS } from '../src/queue/postgres/run-transaction.ts'
import { eventually } from '../../test-support/eventually.ts'
import { incidentStoreContract } from './support/incident-store-contract.ts'
import { makeAlert, T0 } from './support/make-alert.ts'
import { change, createOrMerge, createPlan } from './support/make-incident.ts'
import { createTempDatabase, endPool, withClient, type TempDatabase } from '../../test-support/postgres.ts'

let db: TempDatabase
let schemas = 0
beforeAll(async () => { db = await createTempDatabase('incident_store') })
afterAll(async () => { await db.drop() })
const log = pino({ level: 'silent' })

// Each contract store is a schema of its own in this file's database; a reopened store has its own pool.
incidentStoreContract('PostgreSQL', async () => {
  const schema = `contract_${++schemas}`
  return {
    store: createPostgresIncidentStore({ connectionString: db.url, schema, log }),
    reopen: async () => createPostgresIncidentStore({ connectionString: db.url, schema, log }),
    cleanup: async () => { await withClient(db.url, async (c) => await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) }
  }
})

describe('PostgreSQL incident store database', () => {
  test('shares a schema with the alert queue, each keeping its own tables and schema version', async () => {
    const queue = createPostgresAlertQueue({ connectionString: db.url, schema: 'shared', log })
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'shared', log })
    try {
      const a = makeAlert()
      await queue.put([a])
      const created = await store.applyAlert(a, ['k'], createOrMerge(a))
      expect(await queue.get(a.key)).toEqual(a)
      expect(await store.get(created!.incident.id)).toEqual(created!.incident)
      await withClient(db.url, async (c) => {
        expect((await c.query('SELECT component, version FROM shared.schema_versions ORDER BY component')).rows)
          .toEqual([{ component: 'alert-queue', version: 1 }, { component: 'incident-store', version: 1 }])
        expect((await c.query('SELECT status, due_at, version FROM shared.incidents')).rows).toEqual([{ status: 'dispatched', due_at: null, version: 1 }])
      })
    } finally {
      await store.close()
      await queue.close()
    }
  })

  test('a change that cannot take its lock in time rejects with GW_ERR_DISPATCH_STORE_UNAVAILABLE, stores nothing, and the next one works', async () => {
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'locked', log, lockTimeoutMs: 100 })
    try {
      const a = makeAlert()
      const created = (await store.applyAlert(a, [], createOrMerge(a)))!.incident
      const b = makeAlert({ subject: 'B03-F12-S02' })
      await withClient(db.url, async (c) => {
        // Another node in the middle of an applyAlert, and another changing the incident's row.
        await c.query('BEGIN')
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK_CLASS, 'incident-store:locked'])
        await c.query('SELECT 1 FROM locked.incidents WHERE id = $1 FOR UPDATE', [created.id])
        await expect(store.applyAlert(b, [], () => createPlan(b))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE', message: expect.stringMatching(/lock timeout/) })
        await expect(store.update(created.id, (i) => change(i, {}))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE', message: expect.stringMatching(/lock timeout/) })
        await c.query('ROLLBACK')
      })
      expect(await store.all()).toEqual([created])
      expect((await store.changesSince(0, 10)).map((c) => c.entry.event)).toEqual(['created'])
      expect((await store.applyAlert(b, [], () => createPlan(b)))!.incident.id).toBe('INC-000002')
    } finally {
      await store.close()
    }
  })

  test('an entry numbered first but committed late is not skipped by a reader paging by seq', async () => {
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'ordered', log })
    const HOLD = 4242
    try {
      const [one, two] = [makeAlert({ subject: 'S1' }), makeAlert({ subject: 'S2' })]
      const x = (await store.applyAlert(one, [], () => createPlan(one)))!.incident
      const y = (await store.applyAlert(two, [], () => createPlan(two)))!.incident
      const cursor = (await store.stats()).lastSeq
      // After its audit row is numbered, a change of x waits (before COMMIT) for a lock the test holds.
      await withClient(db.url, async (c) => await c.query(`CREATE FUNCTION ordered.hold () RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.incident_id = '${x.id}' THEN PERFORM pg_advisory_xact_lock_shared(${HOLD}); END IF; RETURN NEW; END $$;
        CREATE TRIGGER hold AFTER INSERT ON ordered.incident_audit FOR EACH ROW EXECUTE FUNCTION ordered.hold()`))
      const waiting = async (): Promise<number> => await withClient(db.url, async (c) => (await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'", [db.name])).rows[0]!.n)
      const seen = await withClient(db.url, async (holder) => {
        await holder.query('SELECT pg_advisory_lock($1)', [HOLD])
        const first = store.update(x.id, (i) => change(i, {}))
        await eventually(async () => await waiting() === 1, 20_000, 'the change of x numbered and held')
        let secondDone = false
        const second = store.update(y.id, (i) => change(i, {})).finally(() => { secondDone = true })
        // The change of y either waits for the audit lock, or (without it) commits a higher seq first.
        await eventually(async () => secondDone || await waiting() === 2, 20_000, 'the change of y waiting or committed')
        const early = await store.changesSince(cursor, 100)
        await holder.query('SELECT pg_advisory_unlock($1)', [HOLD])
        await Promise.all([first, second])
        return [...early, ...await store.changesSince(early.at(-1)?.entry.seq ?? cursor, 100)]
      })
      expect(seen).toEqual(await store.changesSince(cursor, 100))
      expect(seen.map((c) => c.entry.incidentId)).toEqual([x.id, y.id])
    } finally {
      await store.close()
    }
  })

  test('an incident changed behind the store reads back as GW_ERR_DISPATCH_STORE_UNAVAILABLE', async () => {
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'spoiled', log })
    try {
      const a = makeAlert()
      const { incident } = (await store.applyAlert(a, [], createOrMerge(a)))!
      await withClient(db.url, async (c) => await c.query(`UPDATE spoiled.incidents SET incident = jsonb_set(incident, '{severity}', '"P0"')`))
      await expect(store.get(incident.id)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
      await expect(store.update(incident.id, (i) => change(i, {}))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
    } finally {
      await store.close()
    }
  })

  test('ids stay zero-padded to six digits and grow past them', async () => {
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'numbers', log })
    try {
      await store.stats()
      await withClient(db.url, async (c) => await c.query("SELECT setval('numbers.incident_numbers', 999998)"))
      const ids: string[] = []
      for (const subject of ['S1', 'S2']) {
        const a = makeAlert({ subject })
        ids.push((await store.applyAlert(a, [], () => createPlan(a)))!.incident.id)
      }
      expect(ids).toEqual(['INC-999999', 'INC-1000000'])
      expect((await store.list({ order: 'desc' })).items.map((i) => i.id)).toEqual(['INC-1000000', 'INC-999999'])
    } finally {
      await store.close()
    }
  })

  test('text holding U+0000, which PostgreSQL cannot store, rejects with GW_ERR_DISPATCH_INVALID_ACTION and changes nothing', async () => {
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'nul', log })
    try {
      const a = makeAlert()
      const { incident } = (await store.applyAlert(a, [], createOrMerge(a)))!
      await expect(store.update(incident.id, (i) => change(i, { status: 'false_alarm', falseAlarmReason: 'steam\u0000' }, 'false_alarm')))
        .rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_ACTION' })
      const b = makeAlert({ subject: 'S2' })
      await expect(store.applyAlert(b, ['k\u0000'], () => createPlan(b))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_INVALID_ACTION' })
      expect(await store.all()).toEqual([incident])
    } finally {
      await store.close()
    }
  })

  test('tables written by a newer schema version are refused with GW_ERR_DISPATCH_STORE_UNAVAILABLE', async () => {
    await withClient(db.url, async (c) => {
      await c.query('CREATE SCHEMA newer; CREATE TABLE newer.schema_versions (component text PRIMARY KEY, version integer NOT NULL)')
      await c.query("INSERT INTO newer.schema_versions VALUES ('incident-store', 2)")
    })
    const store = createPostgresIncidentStore({ connectionString: db.url, schema: 'newer', log })
    try {
      await expect(store.stats()).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE', message: expect.stringMatching(/schema 2 is newer than 1/) })
    } finally {
      await store.close()
    }
  })

  test('a server that cannot be reached fails every call with GW_ERR_DISPATCH_STORE_UNAVAILABLE', async () => {
    const store = createPostgresIncidentStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none', log })
    try {
      const a = makeAlert()
      for (const call of [() => store.applyAlert(a, [], createOrMerge(a)), () => store.update('INC-000001', (i) => change(i, {})), () => store.list(), () => store.stats()]) {
        await expect(call()).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/) })
      }
    } finally {
      await store.close()
    }
  })

  test('a store on a shared pool leaves the pool open when it closes', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 })
    try {
      const store = createPostgresIncidentStore({ pool, schema: 'pooled', log })
      const a = makeAlert()
      await store.applyAlert(a, [], createOrMerge(a))
      await store.close()
      await expect(store.stats()).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
      expect((await pool.query('SELECT count(*)::int AS n FROM pooled.incidents')).rows).toEqual([{ n: 1 }])
    } finally {
      await endPool(pool)
    }
  })
})
