import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '@gangwan/ingest'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { startSequencePublisher, type SequencePublisher } from '../../test-support/sequence-publisher.ts'
import { eventually } from '../../test-support/eventually.ts'
import { influxQuery, uniqueDb } from '../../test-support/influx.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
let dataDir: string
let hub: HubProcess | undefined
let pub: SequencePublisher | undefined

afterAll(async () => {
  pub?.stop()
  await hub?.kill()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('SIGKILL of the hub mid-stream', () => {
  it('loses no acknowledged message and stores each exactly once after restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gangwan-kill-'))
    const db = uniqueDb('kill')
    const env = {
      GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1',
      GANGWAN_MQTT_PORT: String(await freePort()), GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: influxUrl, GANGWAN_INFLUX_DB: db
    }
    hub = await startHubProcess(env)
    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const count = 6000
    pub = startSequencePublisher({ port: hub.info.mqttPort, gateway: 'GW-B01', device: 'B01-F12-S01', secret: secrets['GW-B01']!, count, window: 100 })

    await pub.ackedAtLeast(2000)
    await hub.kill()
    const ackedBeforeKill = [...pub.acked]
    expect(ackedBeforeKill.length).toBeLessThan(count)

    hub = await startHubProcess(env)
    await pub.done
    const rows = await eventually(async () => {
      const r = await influxQuery(influxUrl, db, `SELECT seq FROM fire WHERE device = 'B01-F12-S01'`)
      return r.length >= count ? r : undefined
    }, 60_000, 'all messages in InfluxDB')
    const seqs = rows.map((r) => Number(r.seq))
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(seqs.length).toBe(count)
    const stored = new Set(seqs)
    expect(ackedBeforeKill.filter((s) => !stored.has(s))).toEqual([])
    expect([...pub.acked].filter((s) => !stored.has(s))).toEqual([])
  })
})
