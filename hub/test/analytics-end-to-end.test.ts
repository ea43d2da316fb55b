import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import { AlertSchema, topics, type Alert } from '@gangwan/contracts'
import { createAlertQueue } from '@gangwan/dispatch'
import { freePort } from '@gangwan/ingest'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { publishTwoDetectorFire, smoke } from '../../test-support/two-detector-fire.ts'
import { uniqueDb } from '../../test-support/influx.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
const dirs: string[] = []
const hubs: HubProcess[] = []

afterAll(async () => {
  for (const h of hubs) await h.kill()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function hubEnv (name: string): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), `gangwan-${name}-`))
  dirs.push(dir)
  return {
    GANGWAN_DATA_DIR: dir, GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(await freePort()),
    GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: influxUrl, GANGWAN_INFLUX_DB: uniqueDb(name)
  }
}

async function start (env: Record<string, string>): Promise<HubProcess> {
  const h = await startHubProcess(env)
  hubs.push(h)
  return h
}

/** The alerts in the hub's dispatch queue, read through the queue's own API. */
async function queued (dispatchDb: string): Promise<Alert[]> {
  const q = createAlertQueue({ path: dispatchDb, log: pino({ level: 'silent' }) })
  try { return await q.list({ limit: 1000 }) } finally { await q.close() }
}


describe('analytics in the hub', () => {
  it('turns two smoke detectors of one zone into one confirmed P1 fire in the dispatch queue, explained and located', async () => {
    const hub = await start(await hubEnv('fire'))
    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const gw = await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    const t0 = Date.now() - 10 * 60_000
    await publishTwoDetectorFire(gw, t0)
    gw.end(true)

    const alerts = await eventually(async () => {
      const a = await queued(hub.info.dispatchDb)
      return a.some((x) => x.severity === 'P1') ? a : undefined
    }, 20_000, 'a P1 alert in the dispatch queue')
    for (const a of alerts) AlertSchema.parse(a)
    const fires = alerts.filter((a) => a.category === 'fire' && a.severity === 'P1')
    expect(fires).toHaveLength(1)
    const fire = fires[0]!
    expect(fire).toMatchObject({ state: 'open', source: { type: 'rule' }, location: { grid: 'G01', building: 'B01', floor: 12, zone: 'B01-F12' } })
    expect(fire.source.clause).toMatch(/GB 50116/)
    expect(JSON.stringify(fire.trigger.values)).toContain('B01-F12-S02')
    // the first detector alone was a pre-alarm, not a fire
    expect(alerts.find((a) => a.subject === 'B01-F12-S01' && a.category === 'fire')?.severity).not.toBe('P1')

    const text = await (await fetch(hub.info.metricsUrl)).text()
    expect(text).toMatch(/gangwan_alerts_raised_total\{category="fire",severity="P1"\} 1/)
    expect(text).toMatch(/gangwan_alert_latency_seconds_count [1-9]/)
  })

  it('refuses to start when an anomaly model cannot be loaded, saying which and why', async () => {
    const env = await hubEnv('badmodel')
    const empty = await mkdtemp(join(tmpdir(), 'gangwan-models-'))
    dirs.push(empty)
    await expect(startHubProcess({ ...env, GANGWAN_MODELS_DIR: empty })).rejects.toThrow(/GW_ERR_MODEL_LOAD_FAILED[\s\S]*manifest|manifest[\s\S]*GW_ERR_MODEL_LOAD_FAILED/)
  })

  it('a crash between detecting an alert and queueing it neither loses nor duplicates it', async () => {
    const env = await hubEnv('crash')
    const first = await start({ ...env, GANGWAN_FAILPOINT: 'analytics-after-detect' })
    const secrets = JSON.parse(await readFile(first.info.credentialsFile, 'utf8')) as Record<string, string>
    const gw = await connectClient(first.info.mqttPort, 'GW-B01', secrets['GW-B01']!, { reconnectPeriod: 0 })
    const t0 = Date.now() - 5 * 60_000
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(smoke(1, t0, 0.01)))
    // the alarm is journaled, analytics detects the pre-alarm and the failpoint kills the hub
    gw.publish(topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(smoke(2, t0 + 60_000, 0.4)), { qos: 1 })
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => first.child.once('exit', (_code, signal) => { resolve(signal) }))
    expect(exit).toBe('SIGKILL')
    gw.end(true)
    expect((await queued(first.info.dispatchDb)).filter((a) => a.subject === 'B01-F12-S01')).toEqual([])

    // restarted without the failpoint: the replay of stored telemetry derives the same alert once
    const second = await start(env)
    const alerts = await eventually(async () => {
      const a = (await queued(second.info.dispatchDb)).filter((x) => x.subject === 'B01-F12-S01' && x.ruleId === 'fire.smoke')
      return a.length > 0 ? a : undefined
    }, 20_000, 'the replayed alert')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ state: 'open', openedAt: t0 + 60_000 })

    // the device resends the unacknowledged alarm after reconnecting: still one alert
    const again = await connectClient(second.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    await publishAcked(again, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(smoke(2, t0 + 60_000, 0.4)))
    again.end(true)
    await second.stop()
    expect((await queued(second.info.dispatchDb)).filter((x) => x.subject === 'B01-F12-S01' && x.ruleId === 'fire.smoke')).toHaveLength(1)
  })
})
