import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { Counter, Registry } from 'prom-client'
import type { MqttClient } from 'mqtt'
import { topics, type FireTelemetry } from '@gangwan/contracts'
import { createLocalInfluxd, freePort, type IngestStatus, type LocalInfluxd } from '@gangwan/ingest'
import { createHub, loadHubConfig, type Hub } from '../src/index.ts'
import { createAnalyticsWatch, createHealthCheck, type Check, type HubHealth } from '../src/health-check.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { influxQuery } from '../../test-support/influx.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const silent = pino({ level: 'silent' })
let dir: string | undefined
let influxd: LocalInfluxd | undefined
let hub: Hub | undefined
let gw: MqttClient | undefined

afterAll(async () => {
  gw?.end(true)
  await hub?.stop()
  await influxd?.stop()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

interface Answer { status: number, body: HubHealth }
async function healthz (url: string): Promise<Answer> {
  const res = await fetch(`${url}/healthz`)
  return { status: res.status, body: await res.json() as HubHealth }
}

const fire = (seq: number, ts: number, smokeDbM: number): FireTelemetry =>
  ({ kind: 'fire', seq, ts, smokeDbM, temperatureC: 23, alarm: smokeDbM >= 0.05, fault: false, tamper: false, batteryPct: 90 })

describe('/healthz of a running hub', () => {
  it('reports each part truthfully: an analytics restart, then InfluxDB down (503, influx and journal failing) and back (200)', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'gangwan-healthz-'))
    const influxPort = await freePort()
    const influxDir = join(dir, 'influxdb')
    influxd = createLocalInfluxd({ dataDir: influxDir, port: influxPort, log: silent, restart: false })
    await influxd.start()
    hub = createHub(loadHubConfig({
      GANGWAN_DATA_DIR: join(dir, 'hub'), GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0',
      GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: influxd.url, GANGWAN_INFLUX_DB: 'healthz', GANGWAN_MODELS: 'off',
      GANGWAN_ANALYTICS_REPLAY_S: '0', GANGWAN_HEALTH_INFLUX_DOWN_S: '1', GANGWAN_HEALTH_MAX_JOURNAL_PENDING: '3',
      // the first analytics worker exits at its first detection; its successor lives
      GANGWAN_FAILPOINT: 'analytics-worker-exit'
    }), { log: silent })
    const info = await hub.start()
    const url = info.httpUrl

    const first = await healthz(url)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      ok: true,
      checks: {
        broker: { ok: true, listening: true, clients: 0 },
        influx: { ok: true, lagMs: 0, failingForMs: 0 },
        journal: { ok: true, pending: 0, limit: 3, state: 'running' },
        analytics: { ok: true, state: 'running', deaths: 0 }
      }
    })

    // A smoke pre-alarm is detected: the failpoint ends the analytics worker, which is restarted.
    const secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
    gw = await connectClient(info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    const t0 = Date.now() - 5 * 60_000
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(fire(1, t0, 0.01)))
    await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(fire(2, t0 + 60_000, 0.4)))
    const restarted = await eventually(async () => {
      const a = await healthz(url)
      return a.body.checks.analytics.deaths === 1 && a.body.checks.analytics.state === 'running' ? a : undefined
    }, 30_000, 'the analytics worker counted dead once and running again')
    expect(restarted.status).toBe(200)
    expect(restarted.body.checks.broker.clients).toBe(1)
    await hub.ingest.drained()
    const beforeOutage = await healthz(url)
    expect(beforeOutage.body.checks.influx.lastWriteOkAt).toEqual(expect.any(String))

    // InfluxDB goes away; messages keep being acknowledged into the journal.
    await influxd.stop()
    for (let seq = 3; seq < 8; seq++) await publishAcked(gw, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify(fire(seq, Date.now(), 0.01)))
    const down = await eventually(async () => {
      const a = await healthz(url)
      return a.status === 503 && a.body.checks.influx.ok === false ? a : undefined
    }, 30_000, '/healthz 503 with the influx check failing')
    expect(down.body.ok).toBe(false)
    expect(down.body.checks.influx).toMatchObject({ ok: false, reason: expect.stringMatching(/^InfluxDB requests have failed for \d+ s \(limit 1 s\)/) })
    expect(down.body.checks.influx.failingForMs).toBeGreaterThan(1000)
    expect(down.body.checks.influx.lagMs).toBeGreaterThan(0)
    expect(down.body.checks.journal).toMatchObject({ ok: false, pending: 5, reason: '5 journal rows wait for InfluxDB (limit 3)' })
    expect(down.body.checks.broker.ok).toBe(true)
    expect(down.body.checks.analytics.ok).toBe(true)

    // InfluxDB returns: the journal is backfilled and /healthz is 200 again.
    influxd = createLocalInfluxd({ dataDir: influxDir, port: influxPort, log: silent, restart: false })
    await influxd.start()
    const up = await eventually(async () => {
      const a = await healthz(url)
      return a.status === 200 ? a : undefined
    }, 30_000, '/healthz 200 after InfluxDB returned')
    expect(up.body).toMatchObject({ ok: true, checks: { influx: { ok: true, failingForMs: 0 }, journal: { ok: true, pending: 0 } } })
    const rows = await influxQuery(influxd.url, 'healthz', `SELECT seq FROM fire WHERE device = 'B01-F12-S01'`)
    expect(rows.map((r) => Number(r.seq)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})

describe('health verdicts (pure logic over the parts\' states)', () => {
  const limits = { influxDownMs: 60_000, maxJournalPending: 100 }
  const NOW = 1_800_000_000_000
  const running: IngestStatus = { state: 'running', pending: 0, lagMs: 0, influxFailingSince: undefined, influxLastOkAt: NOW - 1000 }
  const alive = async (): Promise<Check> => ({ ok: true, state: 'running', deaths: 0 })
  const listening = { listening: true, connectedClients: 2 }

  it.each<[string, { broker?: typeof listening | undefined, ingest?: IngestStatus, analytics?: () => Promise<Check> }, string | undefined, string | undefined]>([
    ['all parts healthy', {}, undefined, undefined],
    ['InfluxDB failing for exactly the limit', { ingest: { ...running, influxFailingSince: NOW - 60_000 } }, undefined, undefined],
    ['InfluxDB failing past the limit', { ingest: { ...running, influxFailingSince: NOW - 61_000, pending: 7, lagMs: 61_000 } }, 'influx', 'InfluxDB requests have failed for 61 s (limit 60 s); data waits in the journal'],
    ['a journal backlog over its limit', { ingest: { ...running, pending: 101 } }, 'journal', '101 journal rows wait for InfluxDB (limit 100)'],
    ['a failed ingest worker', { ingest: { ...running, state: 'failed' } }, 'journal', 'the ingest worker keeps dying; every message is refused'],
    ['a broker that stopped listening', { broker: { listening: false, connectedClients: 0 } }, 'broker', 'the MQTT broker is not accepting connections'],
    ['no broker yet', { broker: undefined }, 'broker', 'the MQTT broker is not started'],
    ['a dead analytics worker', { analytics: async () => ({ ok: false, state: 'dead', reason: 'dead' }) }, 'analytics', 'dead']
  ])('%s', async (_what, given, failing, reason) => {
    const health = createHealthCheck(limits, {
      broker: () => 'broker' in given ? given.broker : listening,
      ingest: () => given.ingest ?? running,
      analytics: given.analytics ?? alive,
      now: () => NOW
    })
    const h = await health()
    expect(h.ok).toBe(failing === undefined)
    for (const [name, check] of Object.entries(h.checks)) {
      expect(check.ok, name).toBe(name !== failing)
      if (name === failing) expect(check.reason).toBe(reason)
      else expect(check.reason).toBeUndefined()
    }
  })

  it('reads the analytics worker state from its supervision hooks and death counter', async () => {
    const registry = new Registry()
    const deaths = new Counter({ name: 'gangwan_analytics_worker_deaths_total', help: 'test', registers: [registry] })
    const watch = createAnalyticsWatch(registry)
    expect(await watch.check()).toMatchObject({ ok: false, state: 'starting' })
    watch.booted()
    expect(await watch.check()).toEqual({ ok: true, state: 'running', deaths: 0 })
    deaths.inc()
    expect(await watch.check()).toMatchObject({ ok: false, state: 'restarting', deaths: 1 })
    watch.booted()
    expect(await watch.check()).toEqual({ ok: true, state: 'running', deaths: 1 })
    deaths.inc()
    watch.gaveUp()
    expect(await watch.check()).toMatchObject({ ok: false, state: 'dead', deaths: 2 })
  })
})
