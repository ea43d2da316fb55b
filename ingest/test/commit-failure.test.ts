import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Writable } from 'node:stream'
import pino from 'pino'
import { inbound, samples } from './support/community.ts'
import { makeIngest, metric, querier, removeDir, tempDir, uniqueDb, type TestIngest } from './support/harness.ts'

const url = inject('influxUrl')
const db = uniqueDb('ingest_commit_failure')
const query = querier(url, db)
const logLines: Record<string, unknown>[] = []
let dir: string
let journalPath: string
let t: TestIngest

beforeAll(async () => {
  dir = await tempDir('commit-failure')
  journalPath = join(dir, 'journal.db')
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done() } })
  t = makeIngest({ journalPath, influx: { url, database: db }, retry: { minDelayMs: 10, maxDelayMs: 50 } }, pino({ level: 'error' }, sink))
  await t.ingest.start()
})
afterAll(async () => {
  await t?.ingest.stop()
  await removeDir(dir)
})

describe('a journal commit that fails in the worker', () => {
  test('rejects the whole group (no PUBACK), and the resend is stored, not taken for a duplicate', async () => {
    const [fire, , fume] = samples(3)
    // Another connection holds the journal's write lock: the worker's INSERT gets SQLITE_BUSY.
    const holder = new DatabaseSync(journalPath)
    holder.exec('BEGIN IMMEDIATE')
    let released = false
    try {
      const results = await Promise.allSettled([t.ingest.sink.accept(inbound(fire!.topic, fire!.msg)), t.ingest.sink.accept(inbound(fume!.topic, fume!.msg))])
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'GW_ERR_INGEST_UNAVAILABLE' })
      expect(t.ingest.pending).toBe(0)
      expect(metric(await t.metrics(), 'gangwan_ingest_messages_total', 'kind="fire"')).toBe(0)
      holder.exec('ROLLBACK')
      released = true
    } finally {
      if (!released) holder.exec('ROLLBACK')
      holder.close()
    }
    expect(logLines.some((l) => l.component === 'ingest' && l.msg === 'journal commit failed; messages left unacknowledged' && l.level === 50)).toBe(true)

    // The client resends both after reconnecting: both are new to ingest, and stored once.
    await Promise.all([t.ingest.sink.accept(inbound(fire!.topic, fire!.msg)), t.ingest.sink.accept(inbound(fume!.topic, fume!.msg))])
    await t.ingest.drained()
    const text = await t.metrics()
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="fire"')).toBe(1)
    expect(metric(text, 'gangwan_ingest_duplicates_total')).toBe(0)
    expect((await query('SELECT seq FROM fire')).map((r) => r.seq)).toEqual([3])
    expect((await query('SELECT seq FROM fume')).map((r) => r.seq)).toEqual([3])
  })
})
