import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import pino from 'pino'
import { createAlertQueue } from '../src/index.ts'
import { alertQueueContract } from './support/alert-queue-contract.ts'
import { makeAlert } from './support/make-alert.ts'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'gangwan-dispatch-queue-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })
const log = pino({ level: 'silent' })

alertQueueContract('SQLite', (store, opts) => createAlertQueue({ path: join(dir, `${store}.db`), ...opts }))

describe('SQLite alert queue file', () => {
  test('is in WAL mode, and its partial unique index stops a second open episode written behind the queue', async () => {
    const path = join(dir, 'raw.db')
    const q = createAlertQueue({ path, log })
    await q.put([makeAlert()])
    const raw = new DatabaseSync(path)
    try {
      expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
      const insert = raw.prepare("INSERT INTO alerts (key, rule_id, subject, state, category, version, alert) VALUES (?, 'fire.smoke', 'B03-F12-S01', ?, 'fire', 1, '{}')")
      expect(() => insert.run('second-open', 'open')).toThrow(/UNIQUE constraint failed: alerts.rule_id, alerts.subject/)
      expect(Number(insert.run('second-cleared', 'cleared').changes)).toBe(1)
    } finally {
      raw.close()
      await q.close()
    }
  })

  test('a put that cannot take the write lock rejects with GW_ERR_QUEUE_UNAVAILABLE, stores nothing, and the next put works', async () => {
    const path = join(dir, 'locked.db')
    const q = createAlertQueue({ path, log, busyTimeoutMs: 0 })
    const holder = new DatabaseSync(path)
    try {
      holder.exec('BEGIN IMMEDIATE')
      await expect(q.put([makeAlert()])).rejects.toMatchObject({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/locked/) })
      holder.exec('ROLLBACK')
      expect(await q.changesSince(0, 10)).toEqual([])
      await q.put([makeAlert()])
      expect(await q.open()).toHaveLength(1)
    } finally {
      holder.close()
      await q.close()
    }
  })

  test('a file written by a newer schema is refused with GW_ERR_QUEUE_UNAVAILABLE', () => {
    const path = join(dir, 'newer.db')
    const raw = new DatabaseSync(path)
    raw.exec('PRAGMA user_version = 2')
    raw.close()
    expect(() => createAlertQueue({ path, log })).toThrow(expect.objectContaining({ code: 'GW_ERR_QUEUE_UNAVAILABLE', message: expect.stringMatching(/schema 2 is newer than 1/) }))
  })

  test('a path that cannot be opened throws GW_ERR_QUEUE_UNAVAILABLE', () => {
    expect(() => createAlertQueue({ path: join(dir, 'missing-folder', 'q.db'), log })).toThrow(expect.objectContaining({ code: 'GW_ERR_QUEUE_UNAVAILABLE' }))
  })
})
