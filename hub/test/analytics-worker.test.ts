import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import pino from 'pino'
import type { MqttClient } from 'mqtt'
import { AlertSchema, topics, type Alert, type FireTelemetry } from '@gangwan/contracts'
import { createAlertQueue } from '@gangwan/dispatch'
import { freePort } from '@gangwan/ingest'
import { createHub, loadHubConfig, type Hub } from '../src/index.ts'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { uniqueDb } from '../../test-support/influx.ts'
import { metricValue } from '../../test-support/metrics-text.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
const dirs: string[] = []
const hubs: Hub[] = []
const processes: HubProcess[] = []
const clients: MqttClient[] = []

afterAll(async () => {
  for (const c of clients) c.end(true)
  for (const h of hubs) await h.stop()
  for (const p of processes) await p.kill()
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

async function gateway (port: number, credentialsFile: string): Promise<MqttClient> {
  const secrets = JSON.parse(await readFile(credentialsFile, 'utf8')) as Record<string, string>
  const c = await connectClient(port, 'GW-B01', secrets['GW-B01']!)
  clients.push(c)
  return c
}

async function queued (dispatchDb: string): Promise<Alert[]> {
  const q = createAlertQueue({ path: dispatchDb, log: pino({ level: 'silent' }) })
  try { return await q.list({ limit: 1000 }) } finally { await q.close() }
}

const smoke = (seq: number, ts: number, smokeDbM: number): FireTelemetry =>
  ({ kind: 'fire', seq, ts, smokeDbM, temperatureC: 23, alarm: smokeDbM >= 0.05, fault: false, tamper: false, batteryPct: 90 })

const send = async (gw: MqttClient, device: string, msg: FireTelemetry): Promise<void> => {
  await publishAcked(gw, topics.telemetry('GW-B01', device), JSON.stringify(msg))
}

describe('analytics in its own worker thread', () => {
  it('relays durable alerts to onAlert listeners and its metrics to the hub /metrics; flush covers what was acknowledged', async () => {
    const hub = createHub(loadHubConfig(await hubEnv('thread')), { log: pino({ level: 'silent' }) })
    hubs.push(hub)
    const info = await hub.start()
    const heard: Alert[] = []
    hub.analytics.onAlert((a) => { heard.push(a) })
    const gw = await gateway(info.mqttPort, info.credentialsFile)
    const t0 = Date.now() - 10 * 60_000
    await send(gw, 'B01-F12-S01', smoke(1, t0, 0.01))
    await send(gw, 'B01-F12-S02', smoke(1, t0 + 1000, 0.01))
    await send(gw, 'B01-F12-S01', smoke(2, t0 + 60_000, 0.3))
    await send(gw, 'B01-F12-S02', smoke(2, t0 + 100_000, 0.25))

    await eventually(() => heard.some((a) => a.category === 'fire' && a.severity === 'P1'), 20_000, 'a P1 fire heard by onAlert')
    await hub.analytics.flush()
    for (const a of heard) AlertSchema.parse(a)
    // what the listener heard is what the queue holds, version for version
    const inQueue = await queued(info.dispatchDb)
    expect(new Set(heard.map((a) => `${a.key}@${a.version}`))).toEqual(new Set(inQueue.map((a) => `${a.key}@${a.version}`)))
    const text = await (await fetch(info.metricsUrl)).text()
    expect(metricValue(text, 'gangwan_analytics_observations_total', 'type="telemetry"')).toBe(4)
    expect(metricValue(text, 'gangwan_alert_versions_total')).toBe(heard.length)
    expect(metricValue(text, 'gangwan_alerts_raised_total', 'category="fire",severity="P1"')).toBe(1)
    expect(metricValue(text, 'gangwan_alert_latency_seconds_count')).toBe(heard.filter((a) => a.version === 1).length)
    expect(metricValue(text, 'gangwan_analytics_worker_deaths_total')).toBe(0)
  })

  it('a worker that dies is logged with its code, counted and restarted; the replay re-derives its alert and live messages reach the new worker', async () => {
    const hub = await startHubProcess({ ...await hubEnv('worker_exit'), GANGWAN_FAILPOINT: 'analytics-worker-exit' })
    processes.push(hub)
    const gw = await gateway(hub.info.mqttPort, hub.info.credentialsFile)
    const t0 = Date.now() - 5 * 60_000
    await send(gw, 'B01-F12-S01', smoke(1, t0, 0.01))
    await send(gw, 'B01-F12-S02', smoke(1, t0 + 1000, 0.01))
    // the pre-alarm is detected and the first worker exits before queueing it
    await send(gw, 'B01-F12-S01', smoke(2, t0 + 60_000, 0.4))

    const died = await eventually(() => hub.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.code === 'GW_ERR_ANALYTICS_WORKER_DIED'), 20_000, 'the death logged')
    expect(died).toMatchObject({ level: 50, component: 'analytics' })
    const smokeAlerts = async (): Promise<Alert[]> => (await queued(hub.info.dispatchDb)).filter((a) => a.subject === 'B01-F12-S01' && a.ruleId === 'fire.smoke')
    const derived = await eventually(async () => { const a = await smokeAlerts(); return a.length > 0 ? a : undefined }, 20_000, 'the alert re-derived by the replay')
    expect(derived).toHaveLength(1)
    expect(derived[0]).toMatchObject({ state: 'open', openedAt: t0 + 60_000 })

    // the restarted worker reads the live stream: the second detector confirms the fire
    await send(gw, 'B01-F12-S02', smoke(2, t0 + 100_000, 0.25))
    await eventually(async () => (await queued(hub.info.dispatchDb)).some((a) => a.category === 'fire' && a.severity === 'P1'), 20_000, 'a P1 fire')
    const text = await (await fetch(hub.info.metricsUrl)).text()
    expect(metricValue(text, 'gangwan_analytics_worker_deaths_total')).toBe(1)
    expect(metricValue(text, 'gangwan_alerts_raised_total', 'category="fire",severity="P1"')).toBe(1)
    expect(await smokeAlerts()).toHaveLength(1)
  })
})
