import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { join } from 'node:path'
import pino from 'pino'
import { createLocalInfluxd, type LocalInfluxd } from '../src/index.ts'
import { inbound, samples } from './support/community.ts'
import { makeIngest, metric, querier, removeDir, tempDir, until, type TestIngest } from './support/harness.ts'

let dir: string
let influxd: LocalInfluxd
let t: TestIngest
const db = 'ingest_outage'

beforeAll(async () => {
  dir = await tempDir('outage')
  influxd = createLocalInfluxd({ dataDir: join(dir, 'influxdb'), log: pino({ level: 'silent' }), restart: false })
  await influxd.start()
  // Small batches so the backfill takes several requests, short back-off so the test stays quick.
  t = makeIngest({ journalPath: join(dir, 'journal.db'), influx: { url: influxd.url, database: db }, batchSize: 25, retry: { minDelayMs: 20, maxDelayMs: 200 } })
  await t.ingest.start()
})
afterAll(async () => {
  await t?.ingest.stop()
  await influxd?.stop()
  await removeDir(dir)
})

const fume = (seq: number): ReturnType<typeof inbound> => { const s = samples(seq, Date.now())[2]!; return inbound(s.topic, s.msg) }

describe('InfluxDB outage', () => {
  test('accept keeps acknowledging into the journal, then every message is backfilled in order, once', async () => {
    const query = querier(influxd.url, db)
    let seq = 0
    for (; seq < 50; seq++) await t.ingest.sink.accept(fume(seq + 1))
    await t.ingest.drained()
    expect((await query('SELECT count(seq) FROM fume'))[0]?.count).toBe(50)

    await influxd.stop()
    // Keep publishing during the outage: every accept resolves promptly (the PUBACK goes out).
    const during = await until(async () => {
      for (let i = 0; i < 20; i++, seq++) await t.ingest.sink.accept(fume(seq + 1))
      const text = await t.metrics()
      const lag = metric(text, 'gangwan_influx_write_lag_seconds') ?? 0
      return (metric(text, 'gangwan_influx_write_batches_total', 'result="retry"') ?? 0) >= 3 && lag >= 2 && text
    }, 'retries and a write lag of 2 s while InfluxDB is down')
    expect(metric(during, 'gangwan_ingest_buffer_depth')).toBe(seq - 50)
    expect(t.ingest.pending).toBe(seq - 50)
    const total = seq
    const okBefore = metric(during, 'gangwan_influx_write_batches_total', 'result="ok"') ?? 0

    await influxd.start()
    // While the backfill runs, what InfluxDB holds is always a prefix 1..k of the sequence: oldest first.
    const snapshots: number[][] = []
    await until(async () => {
      const seqs = (await query('SELECT seq FROM fume')).map((r) => Number(r.seq))
      snapshots.push(seqs)
      return seqs.length === total
    }, 'backfill of every message')
    for (const s of snapshots) expect(s).toEqual(Array.from({ length: s.length }, (_, i) => i + 1))

    await t.ingest.drained()
    const text = await t.metrics()
    // The backlog goes out in requests of at most 25 points, so the backfill takes several of them.
    const okAfter = metric(text, 'gangwan_influx_write_batches_total', 'result="ok"') ?? 0
    expect(okAfter - okBefore).toBeGreaterThanOrEqual(Math.ceil((total - 50) / 25))
    expect(metric(text, 'gangwan_ingest_buffer_depth')).toBe(0)
    expect(metric(text, 'gangwan_influx_write_lag_seconds')).toBe(0)
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="fume"')).toBe(total)
    expect((await query('SELECT count(seq) FROM fume'))[0]?.count).toBe(total)
  })
})
