import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { join } from 'node:path'
import { topics } from '@gangwan/contracts'
import type { StoredMessage, StoredTelemetry } from '../src/index.ts'
import { T0, inbound, pointTime, samples } from './support/community.ts'
import { makeIngest, metric, querier, removeDir, tempDir, uniqueDb, type TestIngest } from './support/harness.ts'

const url = inject('influxUrl')
const db = uniqueDb('ingest_roundtrip')
const query = querier(url, db)
let dir: string
let t: TestIngest
const seen: StoredTelemetry[] = []
const presence: Exclude<StoredMessage, StoredTelemetry>[] = []

beforeAll(async () => {
  dir = await tempDir('roundtrip')
  t = makeIngest({ journalPath: join(dir, 'journal.db'), influx: { url, database: db } })
  await t.ingest.start()
  t.ingest.onStored((s) => { if (s.type === 'telemetry') seen.push(s); else presence.push(s) })
})
afterAll(async () => {
  await t?.ingest.stop()
  await removeDir(dir)
})

const base = (device: string, building = 'B01', grid = 'G1'): Record<string, unknown> => ({ device, building, grid })

/** Each measurement as `SELECT *` returns it, and the InfluxDB type of every field. */
const expected: Record<string, { row: Record<string, unknown>; types: Record<string, string> }> = {
  fire: {
    row: { ...base('B01-F12-S01'), time: pointTime(T0, 7), seq: 7, smokeDbM: 1e-7, temperatureC: 24.5, alarm: false, fault: false, tamper: true, batteryPct: 87 },
    types: { seq: 'integer', smokeDbM: 'float', temperatureC: 'float', alarm: 'boolean', fault: 'boolean', tamper: 'boolean', batteryPct: 'float' }
  },
  elevator: {
    row: { ...base('E-B01-1-C'), time: pointTime(T0, 7), seq: 7, floor: -1, direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: 'E30,E41' },
    types: { seq: 'integer', floor: 'integer', direction: 'string', speedMps: 'float', door: 'string', inDoorZone: 'boolean', passenger: 'boolean', mode: 'string', faultCodes: 'string' }
  },
  fume: {
    row: { ...base('R01-FM'), time: pointTime(T0, 7), seq: 7, fumeMgM3: 0.8, particulateMgM3: 2, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: false },
    types: { seq: 'integer', fumeMgM3: 'float', particulateMgM3: 'float', nmhcMgM3: 'float', fanCurrentA: 'float', fanOn: 'boolean', purifierCurrentA: 'float', purifierOn: 'boolean' }
  },
  falling_object: {
    row: {
      ...base('CAM-B01-S'), facade: 'S', time: pointTime(T0, 7), seq: 7, eventId: 'ev "7" \\ 1', confidence: 0.93, clip: 'nvr://B01-S/clip 1.mp4',
      trajectory: JSON.stringify([{ t: 0, x: 12.1, h: 50.4 }, { t: 0.5, x: 12.2, h: 49.2 }, { t: 1.25, x: 12.3, h: 42.5 }]), points: 3, startH: 50.4, endH: 42.5, durationS: 1.25
    },
    types: { seq: 'integer', eventId: 'string', confidence: 'float', clip: 'string', trajectory: 'string', points: 'integer', startH: 'float', endH: 'float', durationS: 'float' }
  }
}

describe('accepted messages round-trip into InfluxDB', () => {
  test('each kind lands in its measurement with the documented tags, fields and types', async () => {
    const msgs = samples(7)
    const results = await Promise.all(msgs.map((s) => t.ingest.sink.accept(inbound(s.topic, s.msg))))
    expect(results).toHaveLength(msgs.length)
    await t.ingest.drained()

    for (const [measurement, { row, types }] of Object.entries(expected)) {
      expect(await query(`SELECT * FROM "${measurement}"`), measurement).toEqual([row])
      const fieldTypes = Object.fromEntries((await query(`SHOW FIELD KEYS FROM "${measurement}"`)).map((r) => [r.fieldKey, r.fieldType]))
      expect(fieldTypes, measurement).toEqual(types)
    }
    // Both noise meters: one behind GW-B01, one connecting directly (its gateway is itself).
    const noise = await query('SELECT * FROM noise GROUP BY device')
    expect(noise).toEqual([
      { ...base('N-B01-01'), time: pointTime(T0, 7), seq: 7, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: false, invalidReason: 'wind' },
      { ...base('N-D01', 'B02', 'G2'), time: pointTime(T0, 7), seq: 7, intervalS: 60, leq: 40, lmax: 45, lmin: 35, l10: 42, l50: 40, l90: 36, valid: true, invalidReason: null }
    ])
    const noiseTypes = Object.fromEntries((await query('SHOW FIELD KEYS FROM noise')).map((r) => [r.fieldKey, r.fieldType]))
    expect(noiseTypes).toEqual({ seq: 'integer', intervalS: 'integer', leq: 'float', lmax: 'float', lmin: 'float', l10: 'float', l50: 'float', l90: 'float', valid: 'boolean', invalidReason: 'string' })
    expect((await query('SHOW TAG KEYS FROM falling_object')).map((r) => r.tagKey)).toEqual(['building', 'device', 'facade', 'grid'])

    const text = await t.metrics()
    for (const kind of ['fire', 'elevator', 'fume', 'falling_object']) expect(metric(text, 'gangwan_ingest_messages_total', `kind="${kind}"`), kind).toBe(1)
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="noise"')).toBe(2)
    expect(metric(text, 'gangwan_ingest_points_written_total')).toBeGreaterThanOrEqual(6)
    expect(metric(text, 'gangwan_ingest_buffer_depth')).toBe(0)
    expect(metric(text, 'gangwan_influx_write_lag_seconds')).toBe(0)
    expect(metric(text, 'gangwan_ingest_store_latency_seconds_count')).toBeGreaterThanOrEqual(6)
  })

  test('onStored hands each valid message over once, with where it comes from', () => {
    const seven = seen.filter((s) => s.msg.seq === 7)
    expect(seven.map((s) => [s.device, s.gateway, s.kind, s.building, s.grid])).toEqual([
      ['B01-F12-S01', 'GW-B01', 'fire', 'B01', 'G1'],
      ['E-B01-1-C', 'GW-B01', 'elevator', 'B01', 'G1'],
      ['R01-FM', 'GW-B01', 'fume', 'B01', 'G1'],
      ['N-B01-01', 'GW-B01', 'noise', 'B01', 'G1'],
      ['CAM-B01-S', 'GW-B01', 'falling_object', 'B01', 'G1'],
      ['N-D01', 'N-D01', 'noise', 'B02', 'G2']
    ])
    expect(seven[0]!.msg).toEqual(samples(7)[0]!.msg)
    expect(typeof seven[0]!.receivedAt).toBe('number')
  })

  test('status and heartbeat of gateways and devices are stored with gateway or device tags', async () => {
    const hb = { seq: 12, ts: T0, uptimeS: 3600.5, spoolDepth: 4, drops: 0, cpuPct: 12.5, memMb: 48 }
    await Promise.all([
      t.ingest.sink.accept(inbound(topics.gatewayStatus('GW-B01'), { state: 'online', ts: T0 })),
      t.ingest.sink.accept(inbound(topics.gatewayHeartbeat('GW-B02'), hb)),
      t.ingest.sink.accept(inbound(topics.deviceStatus('GW-B01', 'R01-FM'), { state: 'offline', ts: T0 + 1, reason: 'last-will' })),
      t.ingest.sink.accept(inbound(topics.deviceHeartbeat('GW-B01', 'B01-F12-S01'), { seq: 3, ts: T0, uptimeS: 60, batteryPct: 91, rssiDbm: -70 })),
      t.ingest.sink.accept(inbound(topics.gatewayStatus('N-D01'), { state: 'online', ts: T0 + 2 }))
    ])
    await t.ingest.drained()

    expect(await query('SELECT * FROM status GROUP BY *')).toEqual([
      { building: 'B01', device: '', gateway: 'GW-B01', grid: 'G1', time: pointTime(T0), state: 'online', reason: null },
      { building: 'B01', device: 'R01-FM', gateway: '', grid: 'G1', time: pointTime(T0 + 1), state: 'offline', reason: 'last-will' },
      { building: 'B02', device: 'N-D01', gateway: '', grid: 'G2', time: pointTime(T0 + 2), state: 'online', reason: null }
    ])
    expect(await query('SELECT * FROM heartbeat GROUP BY *')).toEqual([
      { building: 'B01', device: 'B01-F12-S01', gateway: '', grid: 'G1', time: pointTime(T0, 3), seq: 3, uptimeS: 60, batteryPct: 91, rssiDbm: -70, spoolDepth: null, drops: null, cpuPct: null, memMb: null },
      { building: 'B02', device: '', gateway: 'GW-B02', grid: 'G2', time: pointTime(T0, 12), seq: 12, uptimeS: 3600.5, batteryPct: null, rssiDbm: null, spoolDepth: 4, drops: 0, cpuPct: 12.5, memMb: 48 }
    ])
    const types = Object.fromEntries((await query('SHOW FIELD KEYS FROM heartbeat')).map((r) => [r.fieldKey, r.fieldType]))
    expect(types).toMatchObject({ seq: 'integer', spoolDepth: 'integer', drops: 'integer', uptimeS: 'float' })
    const text = await t.metrics()
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="status"')).toBe(3)
    // Listeners get the same five, with where they come from.
    expect(presence.map((p) => [p.type, p.gateway, p.device ?? null, p.building])).toEqual(expect.arrayContaining([
      ['status', 'GW-B01', null, 'B01'], ['heartbeat', 'GW-B02', null, 'B02'], ['status', 'GW-B01', 'R01-FM', 'B01'],
      ['heartbeat', 'GW-B01', 'B01-F12-S01', 'B01'], ['status', 'N-D01', null, 'B02']
    ]))
    expect(presence).toHaveLength(5)
    expect(presence.find((p) => p.type === 'status' && p.device === 'R01-FM')).toMatchObject({ status: { state: 'offline', reason: 'last-will' } })
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="heartbeat"')).toBe(2)
  })
})
