import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import type { MqttClient } from 'mqtt'
import { topics } from '@gangwan/contracts'
import { createHub, loadHubConfig, type Hub } from '../src/index.ts'
import { createTestPki, type TestPki } from '../../test-support/tls-fixtures.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { influxQuery, uniqueDb } from '../../test-support/influx.ts'
import { sampleTelemetry } from '../../test-support/sample-telemetry.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
let pki: TestPki
let dataDir: string
let hub: Hub | undefined
const clients: MqttClient[] = []

beforeAll(async () => {
  pki = await createTestPki()
  dataDir = await mkdtemp(join(tmpdir(), 'gangwan-hub-tls-'))
}, 60_000)

afterAll(async () => {
  for (const c of clients) c.end(true)
  await hub?.stop()
  await pki?.remove()
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
})

const base = (): Record<string, string> => ({ GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE })
const tlsEnv = (): Record<string, string> => ({ GANGWAN_MQTT_TLS_PORT: '0', GANGWAN_MQTT_TLS_KEY: pki.serverKeyFile, GANGWAN_MQTT_TLS_CERT: pki.serverCertFile })

describe('hub TLS configuration', () => {
  it('accepts the TLS variables together and resolves the files', () => {
    const config = loadHubConfig({ ...base(), ...tlsEnv(), GANGWAN_MQTT_TLS_CA: pki.caFile })
    expect(config.mqtt.tls).toEqual({ port: 0, keyFile: pki.serverKeyFile, certFile: pki.serverCertFile, caFile: pki.caFile })
    expect(loadHubConfig(base()).mqtt.tls).toBeUndefined()
  })

  it.each<[string, () => Record<string, string>, RegExp]>([
    ['a port without key and certificate', () => ({ GANGWAN_MQTT_TLS_PORT: '8883' }), /GANGWAN_MQTT_TLS_KEY: required with GANGWAN_MQTT_TLS_PORT[\s\S]*GANGWAN_MQTT_TLS_CERT: required/],
    ['a CA alone', () => ({ GANGWAN_MQTT_TLS_CA: pki.caFile }), /GANGWAN_MQTT_TLS_PORT: required with GANGWAN_MQTT_TLS_CA/],
    ['a key and certificate without a port', () => ({ GANGWAN_MQTT_TLS_KEY: pki.serverKeyFile, GANGWAN_MQTT_TLS_CERT: pki.serverCertFile }), /GANGWAN_MQTT_TLS_PORT: required with GANGWAN_MQTT_TLS_KEY, GANGWAN_MQTT_TLS_CERT/],
    ['a port out of range', () => ({ ...tlsEnv(), GANGWAN_MQTT_TLS_PORT: '70000' }), /GANGWAN_MQTT_TLS_PORT/],
    ['a key file that does not exist', () => ({ ...tlsEnv(), GANGWAN_MQTT_TLS_KEY: join(pki.dir, 'absent.key') }), /GANGWAN_MQTT_TLS_KEY: cannot read ".*absent\.key" \(ENOENT\)/],
    ['a folder as the certificate', () => ({ ...tlsEnv(), GANGWAN_MQTT_TLS_CERT: pki.dir }), /GANGWAN_MQTT_TLS_CERT: cannot read ".*" \(not a file\)/],
    ['a CA file that does not exist', () => ({ ...tlsEnv(), GANGWAN_MQTT_TLS_CA: join(pki.dir, 'absent-ca.pem') }), /GANGWAN_MQTT_TLS_CA: cannot read/]
  ])('rejects %s with GW_ERR_CONFIG_INVALID', (_what, env, message) => {
    let err: (Error & { code?: string }) | undefined
    try { loadHubConfig({ ...base(), ...env() }) } catch (e) { err = e as Error & { code?: string } }
    expect(err?.code).toBe('GW_ERR_CONFIG_INVALID')
    expect(err?.message).toMatch(message)
  })
})

describe('hub with the TLS listener', () => {
  it('prints its TLS port and stores what a gateway publishes over mqtts', async () => {
    const db = uniqueDb('hub_tls')
    hub = createHub(loadHubConfig({
      ...base(), ...tlsEnv(), GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0',
      GANGWAN_INFLUX_URL: influxUrl, GANGWAN_INFLUX_DB: db, GANGWAN_MODELS: 'off', GANGWAN_ANALYTICS_REPLAY_S: '0'
    }), { log: pino({ level: 'silent' }) })
    const info = await hub.start()
    expect(info.mqttTlsPort).toEqual(expect.any(Number))
    expect(info.mqttTlsPort).not.toBe(info.mqttPort)

    const secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
    const ca = await readFile(pki.caFile)
    const gw = await connectClient(info.mqttTlsPort!, 'GW-B01', secrets['GW-B01']!, { protocol: 'mqtts', ca })
    clients.push(gw)
    const [sample] = sampleTelemetry(1, Date.UTC(2026, 10, 22, 5, 0, 0)).filter((s) => s.device === 'B01-F12-S01')
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(sample!.msg))
    await hub.ingest.drained()
    const rows = await influxQuery(influxUrl, db, `SELECT seq FROM fire WHERE device = 'B01-F12-S01'`)
    expect(rows.map((r) => Number(r.seq))).toEqual([1])

    const health = await (await fetch(`${info.httpUrl}/healthz`)).json() as { checks: { broker: { ok: boolean, clients: number } } }
    expect(health.checks.broker).toMatchObject({ ok: true, clients: 1 })
  })
})
