import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { topics } from '@gangwan/contracts'
import type { StoredTelemetry } from '../src/index.ts'
import { T0, inbound, samples } from './support/community.ts'
import { makeIngest, metric, querier, removeDir, tempDir, uniqueDb, type TestIngest } from './support/harness.ts'

const url = inject('influxUrl')
const db = uniqueDb('ingest_drops')
const query = querier(url, db)
const logLines: Record<string, unknown>[] = []
let dir: string
let t: TestIngest
const seen: StoredTelemetry[] = []

beforeAll(async () => {
  dir = await tempDir('drops')
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done() } })
  t = makeIngest({ journalPath: join(dir, 'journal.db'), influx: { url, database: db } }, pino({ level: 'warn' }, sink))
  await t.ingest.start()
  t.ingest.onStored((s) => { if (s.type === 'telemetry') seen.push(s) })
})
afterAll(async () => {
  await t?.ingest.stop()
  await removeDir(dir)
})

const fire = samples(1)[0]!
const fume = samples(1)[2]!

describe('invalid messages are acknowledged, counted by reason and never stored', () => {
  const cases: [string, string, string, unknown][] = [
    ['bad_json', 'payload is not JSON', fire.topic, '{"kind":"fire",'],
    ['schema', 'payload fails the kind schema (alarm missing)', fire.topic, { kind: 'fire', seq: 1, ts: T0, smokeDbM: 0.1, fault: false, tamper: false }],
    ['schema', 'JSON null', fire.topic, 'null'],
    ['unknown_device', 'device not in the inventory', topics.telemetry('GW-B01', 'NO-SUCH-DEV'), fire.msg],
    ['unknown_device', 'registered device published behind another gateway', topics.telemetry('GW-B02', 'B01-F12-S01'), fire.msg],
    ['unknown_device', 'a device behind a gateway posing as a direct device', topics.telemetry('B01-F12-S01', 'B01-F12-S01'), fire.msg],
    ['unknown_device', 'status of an unknown gateway', topics.gatewayStatus('GW-NONE'), { state: 'online' }],
    ['kind_mismatch', 'fume payload from a fire detector', fire.topic, fume.msg],
    ['schema', 'heartbeat without uptime', topics.gatewayHeartbeat('GW-B01'), { seq: 1, ts: T0 }],
    ['bad_topic', 'topic outside the v1 scheme', 'gangwan/v1/GW-B01/d/B01-F12-S01/other', fire.msg]
  ]

  test.each(cases)('%s: %s', async (_reason, _what, topic, payload) => {
    await expect(Promise.resolve(t.ingest.sink.accept(inbound(topic, payload)))).resolves.toBeUndefined()
  })

  test('the counters add up and InfluxDB holds nothing', async () => {
    await t.ingest.drained()
    const text = await t.metrics()
    const expected: Record<string, number> = {}
    for (const [reason] of cases) expected[reason] = (expected[reason] ?? 0) + 1
    for (const [reason, n] of Object.entries(expected)) expect(metric(text, 'gangwan_ingest_dropped_total', `reason="${reason}"`), reason).toBe(n)
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="fire"')).toBe(0)
    expect(await query('SHOW MEASUREMENTS')).toEqual([])
    expect(seen).toEqual([])
  })

  test('a schema warning is logged once per device per minute, naming the first issue', () => {
    const warnings = logLines.filter((l) => l.msg !== undefined && String(l.msg).startsWith('invalid payload'))
    expect(warnings.map((w) => [w.source, w.path])).toEqual([['B01-F12-S01', 'alarm'], ['GW-B01', 'uptimeS']])
  })

  test('command acknowledgements are counted and not stored', async () => {
    await t.ingest.sink.accept(inbound(topics.deviceCommandAck('GW-B01', 'B01-F12-S01'), { id: 'c-1', ok: true, ts: T0 }))
    expect(metric(await t.metrics(), 'gangwan_ingest_command_acks_total')).toBe(1)
  })
})

describe('duplicates by (device, seq) are acknowledged but stored and emitted once', () => {
  test('a resend in the same turn, a resend after commit and a heartbeat resend', async () => {
    const msg = samples(42)[0]!
    const hb = inbound(topics.gatewayHeartbeat('GW-B01'), { seq: 9, ts: T0, uptimeS: 5 })
    await Promise.all([t.ingest.sink.accept(inbound(msg.topic, msg.msg)), t.ingest.sink.accept(inbound(msg.topic, msg.msg)), t.ingest.sink.accept(hb)])
    await t.ingest.sink.accept(inbound(msg.topic, msg.msg))
    await t.ingest.sink.accept(hb)
    // A later seq from the same device is not a duplicate.
    const next = samples(43)[0]!
    await t.ingest.sink.accept(inbound(next.topic, next.msg))
    await t.ingest.drained()

    expect((await query(`SELECT seq FROM fire WHERE device = 'B01-F12-S01'`)).map((r) => r.seq)).toEqual([42, 43])
    expect((await query('SELECT seq FROM heartbeat')).map((r) => r.seq)).toEqual([9])
    const text = await t.metrics()
    expect(metric(text, 'gangwan_ingest_duplicates_total')).toBe(3)
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="fire"')).toBe(2)
    expect(seen.map((s) => s.msg.seq)).toEqual([42, 43])
  })
})
