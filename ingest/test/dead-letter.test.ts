import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { T0, inbound, pointTime, samples } from './support/community.ts'
import { makeIngest, metric, querier, removeDir, tempDir, uniqueDb, type TestIngest } from './support/harness.ts'

const url = inject('influxUrl')
const db = uniqueDb('ingest_dead_letter')
const query = querier(url, db)
let dir: string
let t: TestIngest

beforeAll(async () => {
  dir = await tempDir('dead-letter')
  t = makeIngest({ journalPath: join(dir, 'journal.db'), influx: { url, database: db } })
  await t.ingest.start()
})
afterAll(async () => {
  await t?.ingest.stop()
  await removeDir(dir)
})

describe('a batch InfluxDB rejects', () => {
  test('moves to dead_letter with the reason, and later batches still flow', async () => {
    // Someone wrote fumeMgM3 as a string into the same shard: our float now conflicts (HTTP 400).
    const res = await fetch(`${url}/write?db=${db}&precision=ms`, { method: 'POST', body: `fume,building=B01,device=R01-FM,grid=G1 fumeMgM3="broken" ${T0 - 1000}` })
    expect(res.status).toBe(204)

    const fume = samples(1)[2]!
    await t.ingest.sink.accept(inbound(fume.topic, fume.msg))
    await t.ingest.drained()
    const fire = samples(2)[0]!
    await t.ingest.sink.accept(inbound(fire.topic, fire.msg))
    await t.ingest.drained()

    expect(await query('SELECT seq FROM fire')).toEqual([{ time: pointTime(T0, 2), seq: 2 }])
    expect(await query('SELECT count(fanCurrentA) FROM fume')).toEqual([])
    const text = await t.metrics()
    expect(metric(text, 'gangwan_influx_write_batches_total', 'result="rejected"')).toBe(1)
    expect(metric(text, 'gangwan_influx_write_batches_total', 'result="ok"')).toBe(1)
    expect(metric(text, 'gangwan_ingest_points_rejected_total')).toBe(1)
    expect(metric(text, 'gangwan_ingest_buffer_depth')).toBe(0)

    const file = new DatabaseSync(join(dir, 'journal.db'), { readOnly: true })
    const rows = file.prepare('SELECT line, error FROM dead_letter').all() as { line: string; error: string }[]
    file.close()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.line).toMatch(/^fume,building=B01,device=R01-FM,grid=G1 seq=1i,fumeMgM3=0\.8,/)
    expect(rows[0]!.error).toContain('field type conflict')
  })
})
