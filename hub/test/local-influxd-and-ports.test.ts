import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import { topics } from '@gangwan/contracts'
import { createHub, loadHubConfig } from '../src/index.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { influxQuery } from '../../test-support/influx.ts'
import { sampleTelemetry } from '../../test-support/sample-telemetry.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const dirs: string[] = []
const servers: Server[] = []
afterAll(async () => {
  for (const s of servers) s.close()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function occupiedPort (): Promise<number> {
  const s = createServer()
  servers.push(s)
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return (s.address() as { port: number }).port
}

function recordingLogger (): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const log = pino({ level: 'warn' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>) } })
  return { log, lines }
}

describe('hub without an InfluxDB URL', () => {
  it('starts and supervises its own influxd under the data folder, and stores into it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gangwan-local-'))
    dirs.push(dataDir)
    const hub = createHub(loadHubConfig({ GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0' }), { log: pino({ level: 'silent' }) })
    const info = await hub.start()
    try {
      expect(info.localInfluxd).toBe(true)
      expect(existsSync(join(dataDir, 'influxdb', 'meta'))).toBe(true)
      const secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
      const gw = await connectClient(info.mqttPort, 'GW-B01', secrets['GW-B01']!)
      const { msg } = sampleTelemetry(5, Date.now())[1]!
      await publishAcked(gw, topics.telemetry('GW-B01', 'E-B01-1-C'), JSON.stringify(msg))
      gw.end(true)
      await hub.ingest.drained()
      const rows = await influxQuery(info.influxUrl, info.influxDb, 'SELECT seq, floor FROM elevator')
      expect(rows).toMatchObject([{ seq: 5, floor: 12 }])
    } finally {
      await hub.stop()
    }
    // stop() stopped the supervised server
    await expect(fetch(`${info.influxUrl}/ping`)).rejects.toThrow()
  })
})

describe('ports', () => {
  it('says so and takes a free port when the default MQTT port is taken', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gangwan-port-'))
    dirs.push(dataDir)
    const taken = await occupiedPort()
    const base = loadHubConfig({ GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: 'ports' })
    const config = { ...base, mqtt: { ...base.mqtt, port: taken, portExplicit: false } }
    const { log, lines } = recordingLogger()
    const hub = createHub(config, { log })
    const info = await hub.start()
    try {
      expect(info.mqttPort).not.toBe(taken)
      expect(lines.some((l) => String(l.msg).includes(`MQTT port ${taken} is already in use`))).toBe(true)
    } finally {
      await hub.stop()
    }
  })

  it('refuses to replace a port the user asked for explicitly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gangwan-port-'))
    dirs.push(dataDir)
    const taken = await occupiedPort()
    const config = loadHubConfig({ GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(taken), GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: 'ports' })
    const hub = createHub(config, { log: pino({ level: 'silent' }) })
    await expect(hub.start()).rejects.toMatchObject({ code: 'GW_ERR_PORT_IN_USE' })
    await hub.stop()
  })
})
