import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { topics } from '@gangwan/contracts'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { influxQuery } from '../../test-support/influx.ts'
import { sampleTelemetry } from '../../test-support/sample-telemetry.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
let dataDir: string
let hub: HubProcess | undefined

afterAll(async () => {
  await hub?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('SIGKILL of a hub that supervises its own influxd', () => {
  it('the next start stops the orphaned influxd, takes over its data and keeps what was acknowledged', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gangwan-orphan-'))
    const env = { GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0' }
    hub = await startHubProcess(env)
    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const gw = await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    const { msg } = sampleTelemetry(7, Date.now())[1]!
    await publishAcked(gw, topics.telemetry('GW-B01', 'E-B01-1-C'), JSON.stringify(msg))
    gw.end(true)
    const orphanPid = Number(await readFile(join(dataDir, 'influxdb', 'influxd.pid'), 'utf8'))
    await hub.kill()
    // the supervised server outlives the killed hub...
    expect(existsSync(`/proc/${orphanPid}`)).toBe(true)

    hub = await startHubProcess(env)
    // ...and the next hub stops it before starting its own on the same data
    expect(existsSync(`/proc/${orphanPid}`)).toBe(false)
    const rows = await eventually(async () => {
      const r = await influxQuery(hub!.info.influxUrl, hub!.info.influxDb, 'SELECT seq FROM elevator')
      return r.length > 0 ? r : undefined
    }, 20_000, 'the acknowledged point')
    expect(rows.map((r) => r.seq)).toEqual([7])
  })
})
