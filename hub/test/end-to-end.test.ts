import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { connect as netConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import type { MqttClient } from 'mqtt'
import { topics } from '@gangwan/contracts'
import { createHub, loadHubConfig, type Hub, type HubInfo } from '../src/index.ts'
import { eventually } from '../../test-support/eventually.ts'
import { influxQuery, uniqueDb } from '../../test-support/influx.ts'
import { metricValue } from '../../test-support/metrics-text.ts'
import { closed, connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { sampleTelemetry } from '../../test-support/sample-telemetry.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
const db = uniqueDb('e2e')
let dataDir: string
let hub: Hub
let info: HubInfo
let secrets: Record<string, string>
const clients: MqttClient[] = []

async function client (id: string, password = secrets[id]!): Promise<MqttClient> {
  const c = await connectClient(info.mqttPort, id, password)
  clients.push(c)
  return c
}
async function metricsText (): Promise<string> {
  return await (await fetch(info.metricsUrl)).text()
}
function metric (text: string, name: string, labels: string): number {
  return metricValue(text, name, labels) ?? 0
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gangwan-e2e-'))
  const config = loadHubConfig({
    GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1',
    GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: influxUrl, GANGWAN_INFLUX_DB: db,
    GANGWAN_MAX_PAYLOAD_BYTES: '4096'
  })
  hub = createHub(config, { log: pino({ level: 'silent' }) })
  info = await hub.start()
  secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
})

afterAll(async () => {
  for (const c of clients) c.end(true)
  await hub?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

describe('hub end to end over real MQTT into a real InfluxDB', () => {
  it('issued credentials to the gateway and the direct device only', () => {
    expect(Object.keys(secrets).sort()).toEqual(['GW-B01', 'N-G01-01'])
    expect(info.provisioned).toBe(2)
  })

  it('stores each kind with its tags and fields', async () => {
    const gw = await client('GW-B01')
    const noise = await client('N-G01-01')
    const ts = Date.UTC(2026, 10, 22, 5, 0, 0)
    for (const { device, gateway, msg } of sampleTelemetry(1, ts)) {
      await publishAcked(gateway === 'GW-B01' ? gw : noise, topics.telemetry(gateway, device), JSON.stringify(msg))
    }
    await hub.ingest.drained()
    const [fire] = await influxQuery(influxUrl, db, `SELECT * FROM fire WHERE device = 'B01-F12-S01'`)
    expect(fire).toMatchObject({ device: 'B01-F12-S01', building: 'B01', grid: 'G01', seq: 1, smokeDbM: 0.02, temperatureC: 24.5, alarm: false, fault: false, tamper: false, batteryPct: 87 })
    expect(Math.floor(Number(fire!.time) / 1e6)).toBe(ts)
    const [elev] = await influxQuery(influxUrl, db, 'SELECT * FROM elevator')
    expect(elev).toMatchObject({ device: 'E-B01-1-C', building: 'B01', floor: 12, direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: 'E30,E41' })
    const [fume] = await influxQuery(influxUrl, db, 'SELECT * FROM fume')
    expect(fume).toMatchObject({ device: 'R01-FM', fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanOn: true, purifierOn: true, purifierCurrentA: 1.2 })
    const [noiseRow] = await influxQuery(influxUrl, db, 'SELECT * FROM noise')
    expect(noiseRow).toMatchObject({ device: 'N-G01-01', grid: 'G01', leq: 52.3, lmax: 61, l90: 46.3, valid: true })
    const [fall] = await influxQuery(influxUrl, db, 'SELECT * FROM falling_object')
    expect(fall).toMatchObject({ device: 'CAM-B01-S', facade: 'S', confidence: 0.93, eventId: 'ev-1', clip: 'nvr://B01-S/clip-1.mp4' })
    expect(JSON.parse(String(fall!.trajectory))).toHaveLength(3)
  })

  it('counts and drops schema-invalid, non-JSON and unknown-device payloads without disconnecting the device', async () => {
    const gw = await client('GW-B01')
    const ts = Date.UTC(2026, 10, 22, 6, 0, 0)
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), '{not json')
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify({ kind: 'fire', seq: 2, ts, alarm: 'yes' }))
    await publishAcked(gw, topics.telemetry('GW-B01', 'NO-SUCH-DEVICE'), JSON.stringify(sampleTelemetry(2, ts)[0]!.msg))
    // the same connection keeps working: a valid message after the bad ones is stored
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S02'), JSON.stringify({ ...sampleTelemetry(3, ts)[0]!.msg }))
    expect(gw.connected).toBe(true)
    await hub.ingest.drained()
    const rows = await influxQuery(influxUrl, db, `SELECT seq FROM fire WHERE device = 'B01-F12-S02'`)
    expect(rows.map((r) => r.seq)).toEqual([3])
    const text = await metricsText()
    expect(metric(text, 'gangwan_ingest_dropped_total', 'reason="bad_json"')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gangwan_ingest_dropped_total', 'reason="schema"')).toBeGreaterThanOrEqual(1)
    expect(metric(text, 'gangwan_ingest_dropped_total', 'reason="unknown_device"')).toBeGreaterThanOrEqual(1)
  })

  it('refuses a wrong password with CONNACK 4 and counts it', async () => {
    await expect(connectClient(info.mqttPort, 'GW-B01', 'wrong-secret')).rejects.toMatchObject({ code: 4 })
    expect(metric(await metricsText(), 'gangwan_broker_refusals_total', 'reason="bad_credentials"')).toBeGreaterThanOrEqual(1)
  })

  it('closes a connection that publishes outside its namespace; other clients are unaffected', async () => {
    const noise = await client('N-G01-01')
    const gw = await client('GW-B01')
    noise.publish(topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(sampleTelemetry(9, Date.now())[0]!.msg), { qos: 1 })
    await closed(noise)
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(sampleTelemetry(10, Date.now())[0]!.msg))
    expect(metric(await metricsText(), 'gangwan_broker_refusals_total', 'reason="publish_denied"')).toBeGreaterThanOrEqual(1)
  })

  it('closes a connection that sends an oversized payload and counts it', async () => {
    const gw = await client('GW-B01')
    gw.publish(topics.telemetry('GW-B01', 'B01-F12-S01'), 'x'.repeat(5000), { qos: 1 })
    await closed(gw)
    expect(metric(await metricsText(), 'gangwan_broker_refusals_total', 'reason="payload_too_large"')).toBeGreaterThanOrEqual(1)
  })

  it('closes a connection that sends malformed MQTT bytes and keeps serving others', async () => {
    const sock = netConnect(info.mqttPort, '127.0.0.1')
    await new Promise<void>((resolve) => sock.once('connect', () => { resolve() }))
    sock.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00]))
    await new Promise<void>((resolve) => sock.once('close', () => { resolve() }))
    await client('GW-B01')
    await eventually(async () => metric(await metricsText(), 'gangwan_broker_refusals_total', 'reason="malformed_packet"') >= 1, 5000, 'malformed counter')
  })

  it('exposes the required metrics', async () => {
    const text = await metricsText()
    for (const name of ['gangwan_ingest_messages_total', 'gangwan_broker_refusals_total', 'gangwan_influx_write_batches_total', 'gangwan_influx_write_lag_seconds', 'gangwan_ingest_buffer_depth']) {
      expect(text).toContain(`# TYPE ${name}`)
    }
    expect(metric(text, 'gangwan_ingest_messages_total', 'kind="falling_object"')).toBeGreaterThanOrEqual(1)
  })
})
