import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pino from 'pino'
import { createAlertQueue, createSqliteIncidentStore } from '../src/index.ts'
import { filterSql, orderSql } from '../src/incidents/sqlite/incident-filter-sql.ts'
import { incidentStoreContract } from './support/incident-store-contract.ts'
import { makeAlert, T0 } from './support/make-alert.ts'
import { change, createOrMerge, createPlan } from './support/make-incident.ts'

let dir: string
let files = 0
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-dispatch-incidents-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })
const log = pino({ level: 'silent' })

incidentStoreContract('SQLite', async () => {
  const path = join(dir, `contract-${++files}.db`)
  return {
    store: createSqliteIncidentStore({ path, log }),
    reopen: async () => createSqliteIncidentStore({ path, log }),
    cleanup: async () => { await rm(path, { force: true }); await rm(`${path}-wal`, { force: true }); await rm(`${path}-shm`, { force: true }) }
  }
})

describe('SQLite incident store file', () => {
  test('shares a file with the alert queue, in WAL mode, each keeping its own tables', async () => {
    const path = join(dir, 'shared.db')
    const queue = createAlertQueue({ path, log })
    const store = createSqliteIncidentStore({ path, log })
    const raw = new DatabaseSync(path)
    try {
      const a = makeAlert()
      await queue.put([a])
      const created = await store.applyAlert(a, ['k'], createOrMerge(a))
      expect(await queue.get(a.key)).toEqual(a)
      expect(await store.get(created!.incident.id)).toEqual(created!.incident)
      expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
      // The queue's schema version is the queue's: opening the incident store leaves it alone.
      expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 })
      const tables = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'incident%' ORDER BY name").all() as { name: string }[]).map((t) => t.name)
      expect(tables).toEqual(['incident_alerts', 'incident_audit', 'incident_counter', 'incident_scopes', 'incidents'])
      expect(raw.prepare('SELECT status, due_at, version FROM incidents').all()).toEqual([{ status: 'dispatched', due_at: null, version: 1 }])
    } finally {
      raw.close()
      await store.close()
      await queue.close()
    }
  })

  test('a page of the open queue in queue order is read off an index, not sorted whole for every page', async () => {
    const path = join(dir, 'queue-order.db')
    const store = createSqliteIncidentStore({ path, log })
    const raw = new DatabaseSync(path)
    try {
      for (const order of ['asc', 'desc'] as const) {
        const sql = `SELECT incident FROM incidents ${filterSql({ open: true }).where} ${orderSql({ sort: 'queue', order })} LIMIT 1000 OFFSET 4000`
        const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail)
        expect(plan, order).toEqual([expect.stringContaining('USING INDEX incidents_open_queue')])
      }
    } finally {
      raw.close()
      await store.close()
    }
  })

  test('a change that cannot take the write lock rejects with GW_ERR_DISPATCH_STORE_UNAVAILABLE, stores nothing, and the next one works', async () => {
    const path = join(dir, 'locked.db')
    const store = createSqliteIncidentStore({ path, log, busyTimeoutMs: 0 })
    const holder = new DatabaseSync(path)
    try {
      const a = makeAlert()
      const created = (await store.applyAlert(a, [], createOrMerge(a)))!.incident
      holder.exec('BEGIN IMMEDIATE')
      const b = makeAlert({ subject: 'B03-F12-S02' })
      await expect(store.applyAlert(b, [], () => createPlan(b))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE', message: expect.stringMatching(/locked/) })
      await expect(store.update(created.id, (i) => change(i, {}))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
      holder.exec('ROLLBACK')
      expect(await store.all()).toEqual([created])
      expect((await store.changesSince(0, 10)).map((c) => c.entry.event)).toEqual(['created'])
      expect((await store.applyAlert(b, [], () => createPlan(b)))!.incident.id).toBe('INC-000002')
    } finally {
      holder.close()
      await store.close()
    }
  })

  test('an incident changed behind the store reads back as GW_ERR_DISPATCH_STORE_UNAVAILABLE', async () => {
    const path = join(dir, 'spoiled.db')
    const store = createSqliteIncidentStore({ path, log })
    const raw = new DatabaseSync(path)
    try {
      const a = makeAlert()
      const { incident } = (await store.applyAlert(a, [], createOrMerge(a)))!
      raw.prepare('UPDATE incidents SET incident = json_set(incident, \'$.severity\', \'P0\')').run()
      await expect(store.get(incident.id)).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
      await expect(store.update(incident.id, (i) => change(i, {}))).rejects.toMatchObject({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
    } finally {
      raw.close()
      await store.close()
    }
  })

  test('ids stay zero-padded to six digits and grow past them', async () => {
    const path = join(dir, 'counter.db')
    const store = createSqliteIncidentStore({ path, log })
    const raw = new DatabaseSync(path)
    try {
      raw.exec("INSERT INTO incident_counter (name, last) VALUES ('incident', 999998)")
      const ids: string[] = []
      for (const subject of ['S1', 'S2']) {
        const a = makeAlert({ subject, openedAt: T0 })
        ids.push((await store.applyAlert(a, [], () => createPlan(a)))!.incident.id)
      }
      expect(ids).toEqual(['INC-999999', 'INC-1000000'])
      expect((await store.list({ order: 'desc' })).items.map((i) => i.id)).toEqual(['INC-1000000', 'INC-999999'])
    } finally {
      raw.close()
      await store.close()
    }
  })

  test('a path that cannot be opened throws GW_ERR_DISPATCH_STORE_UNAVAILABLE', () => {
    expect(() => createSqliteIncidentStore({ path: join(dir, 'missing-folder', 'i.db'), log })).toThrow(expect.objectContaining({ code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' }))
  })
})
