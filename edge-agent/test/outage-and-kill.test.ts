import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '@gangwan/ingest'
import type { Telemetry } from '@gangwan/contracts'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { startEdgeProcess, type EdgeProcess } from '../../test-support/edge-process.ts'
import { startLocalDevice, type LocalDevice } from '../../test-support/local-device.ts'
import { startTcpProxy, type TcpProxy } from '../../test-support/tcp-proxy.ts'
import { influxQuery, uniqueDb } from '../../test-support/influx.ts'
import { eventually } from '../../test-support/eventually.ts'
import { metricValue } from '../../test-support/metrics-text.ts'

// The scenario with real processes: a hub (with InfluxDB), an edge agent process relaying
// LAN devices through a TCP link that is cut for minutes; during the outage the agent is killed
// with SIGKILL and started again. Afterwards every reading a device had acknowledged is in
// InfluxDB exactly once, in the device's order.

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const influxUrl = inject('influxUrl')
/** Length of the uplink outage (s); several minutes by default, shorter for a quick local run. */
const OUTAGE_S = Number(process.env.GANGWAN_TEST_OUTAGE_S ?? 150)
const RATE = 4

const cleanup: Array<() => Promise<unknown>> = []
afterAll(async () => { for (const c of cleanup.reverse()) await c().catch(() => {}) })

const make: Record<string, (seq: number, ts: number) => Telemetry> = {
  'B01-F12-S01': (seq, ts) => ({ kind: 'fire', seq, ts, smokeDbM: 0.01, temperatureC: 22, alarm: false, fault: false, tamper: false, batteryPct: 90 }),
  'B01-F12-S02': (seq, ts) => ({ kind: 'fire', seq, ts, smokeDbM: 0.02, temperatureC: 23, alarm: false, fault: false, tamper: false }),
  'E-B01-1-C': (seq, ts) => ({ kind: 'elevator', seq, ts, floor: 1 + (seq % 20), direction: 'up', speedMps: 1.5, door: 'closed', inDoorZone: false, passenger: false, mode: 'normal', faultCodes: [] }),
  'R01-FM': (seq, ts) => ({ kind: 'fume', seq, ts, fumeMgM3: 0.5, particulateMgM3: 1.1, nmhcMgM3: 2.0, fanCurrentA: 3, fanOn: true, purifierCurrentA: 1, purifierOn: true })
}
const kindOf = (device: string): string => make[device]!(0, 1).kind
/** The hub and agent of the first test; the second drives the agent through the hub's API. */
let shared: { hub: HubProcess, agent: () => EdgeProcess } | undefined

describe('edge agent: uplink cut for minutes and SIGKILL mid-spool', () => {
  it('delivers every acknowledged reading to InfluxDB once, in order per device', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gangwan-edge-outage-'))
    cleanup.push(async () => { await rm(dir, { recursive: true, force: true }) })
    const db = uniqueDb('edge_outage')
    const hub: HubProcess = await startHubProcess({
      GANGWAN_DATA_DIR: join(dir, 'hub'), GANGWAN_COMMUNITY: FIXTURE, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(await freePort()),
      GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: influxUrl, GANGWAN_INFLUX_DB: db, GANGWAN_MODELS: 'off'
    })
    cleanup.push(async () => { await hub.kill() })
    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const link: TcpProxy = await startTcpProxy(hub.info.mqttPort)
    cleanup.push(link.close)

    const localPort = await freePort()
    const config = {
      gatewayId: 'GW-B01',
      dataDir: join(dir, 'edge'),
      uplink: { url: `mqtt://127.0.0.1:${link.port}`, password: secrets['GW-B01'], reconnectMinMs: 200, reconnectMaxMs: 2000 },
      local: { mqtt: { host: '127.0.0.1', port: localPort } },
      devices: Object.fromEntries(Object.keys(make).map((d) => [d, kindOf(d)])),
      http: { port: 0 }
    }
    const configFile = join(dir, 'edge.json')
    let agent: EdgeProcess = await startEdgeProcess(configFile, config)
    cleanup.push(async () => { await agent.kill() })
    shared = { hub, agent: () => agent }

    const count = RATE * (OUTAGE_S + 30)
    const devices: LocalDevice[] = Object.keys(make).map((device) => startLocalDevice({ port: localPort, gateway: 'GW-B01', device, count, ratePerS: RATE, make: make[device]! }))
    cleanup.push(async () => { for (const d of devices) d.stop() })
    const allAckedAtLeast = async (n: number): Promise<void> => { await Promise.all(devices.map(async (d) => { await d.ackedAtLeast(n) })) }

    // Connected: readings flow to InfluxDB.
    await allAckedAtLeast(RATE * 5)
    await eventually(async () => (await influxQuery(influxUrl, db, `SELECT count(seq) FROM fire WHERE device = 'B01-F12-S01'`))[0]?.count as number > 0, 30_000, 'first readings in InfluxDB')

    // The uplink goes down; the devices keep publishing and the agent keeps acknowledging them.
    link.cut()
    const cutAt = devices[0]!.acked.size
    await allAckedAtLeast(cutAt + RATE * OUTAGE_S / 2)
    const metrics = async (): Promise<string> => await (await fetch(`http://127.0.0.1:${agent.ready.httpPort}/metrics`)).text()
    const during = await metrics()
    expect(metricValue(during, 'gangwan_edge_uplink_up')).toBe(0)
    expect(metricValue(during, 'gangwan_edge_spool_depth')).toBeGreaterThan(RATE * OUTAGE_S / 4)

    // Mid-spool, the agent is killed without warning and started again on the same spool.
    await agent.kill()
    agent = await startEdgeProcess(configFile, config)
    expect(agent.ready.bootCount).toBe(2)
    await allAckedAtLeast(cutAt + RATE * OUTAGE_S)

    // The link returns: the backlog replays while the devices go on.
    link.restore()
    await Promise.all(devices.map(async (d) => await d.done))
    for (const d of devices) {
      const kind = kindOf(d.device)
      const rows = await eventually(async () => {
        const r = await influxQuery(influxUrl, db, `SELECT seq FROM ${kind} WHERE device = '${d.device}'`)
        return r.length >= count ? r : undefined
      }, 120_000, `${count} readings of ${d.device} in InfluxDB`)
      const seqs = rows.map((r) => Number(r.seq))
      // Exactly once: as many points as the device sent, each sequence number once.
      expect(seqs.length).toBe(count)
      expect(new Set(seqs).size).toBe(count)
      // In the device's order: by measurement time the sequence numbers only go up.
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect([...d.acked.keys()].sort((a, b) => a - b)).toEqual(seqs)
    }
    const after = await eventually(async () => {
      const text = await metrics()
      return metricValue(text, 'gangwan_edge_spool_depth') === 0 ? text : undefined
    }, 30_000, 'spool drained')
    expect(metricValue(after, 'gangwan_edge_dropped_total')).toBe(0)
    expect(metricValue(after, 'gangwan_edge_uplink_up')).toBe(1)
    const hubMetrics = await (await fetch(hub.info.metricsUrl)).text()
    expect(metricValue(hubMetrics, 'gangwan_ingest_dropped_total', 'reason="GW_ERR_INGEST_SCHEMA"') ?? 0).toBe(0)
  }, (OUTAGE_S + 240) * 1000)

  it('takes configuration and silence commands from the hub\'s API and answers them', async () => {
    if (shared === undefined) throw new Error('needs the hub and agent of the previous test')
    const { hub, agent } = shared
    const operators = JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>
    const login = await fetch(`${hub.info.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: operators.admin }) })
    const { token } = await login.json() as { token: string }
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> => {
      const r = await fetch(`${hub.info.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      return { status: r.status, body: await r.json() }
    }
    const settle = async (body: { name: string, args?: Record<string, unknown> }): Promise<any> => {
      const sent = await api('POST', '/gateways/GW-B01/commands', body)
      expect(sent.status).toBe(202)
      return await eventually(async () => {
        const r = await api('GET', `/commands/${sent.body.id}`)
        return r.body.status !== 'pending' ? r.body : undefined
      }, 20_000, `answer to ${body.name}`)
    }
    expect(await settle({ name: 'config', args: { heartbeatIntervalS: 30, smokeThresholdDbM: 0.12 } })).toMatchObject({ status: 'ok' })
    const health = await (await fetch(`http://127.0.0.1:${agent().ready.httpPort}/healthz`)).json() as { settings: Record<string, number> }
    expect(health.settings).toMatchObject({ heartbeatIntervalS: 30, smokeThresholdDbM: 0.12 })
    expect(await settle({ name: 'silence', args: { durationS: 60 } })).toMatchObject({ status: 'ok' })
    expect(await settle({ name: 'config', args: { heartbeatIntervalS: 5 } })).toMatchObject({ status: 'failed', error: expect.stringMatching(/heartbeatIntervalS/) })
  })
})
