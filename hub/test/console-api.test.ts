import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { topics, type ElevatorTelemetry, type Incident } from '@gangwan/contracts'
import { freePort } from '@gangwan/ingest'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { publishTwoDetectorFire, smoke } from '../../test-support/two-detector-fire.ts'
import { sampleTelemetry } from '../../test-support/sample-telemetry.ts'
import { uniqueDb } from '../../test-support/influx.ts'

// The console's API over the hub's real parts: device status from InfluxDB and dispatch,
// telemetry history from InfluxDB, credentials from the broker's registry, over MQTT and HTTP.

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
/** Every kind reports every 2 min here, so "online" (within 3 intervals: 6 min) holds however slow the machine. */
const INTERVAL_MS = 120_000
/** Elevator readings, 1 s apart: more than the 2,000 points one telemetry answer carries. */
const ELEVATOR_READINGS = 2100

let dir: string
let hub: HubProcess
const clients: MqttClient[] = []
let passwords: Record<string, string>
let secrets: Record<string, string>
/** Measurement times of what the test published. */
let t0: number
let tS01Last: number
let tElevatorFirst: number

interface Answer { status: number; headers: Headers; body: any }
/** Logs in as a console account of the hub and returns a caller of its API with that session. */
async function login (username: string): Promise<(method: string, path: string, body?: unknown) => Promise<Answer>> {
  const r = await fetch(`${hub.info.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwords[username] }) })
  expect(r.status).toBe(200)
  const { token } = await r.json() as { token: string }
  return async (method, path, body) => {
    const res = await fetch(`${hub.info.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: res.status, headers: res.headers, body: await res.json() }
  }
}

const elevator = (seq: number, ts: number): ElevatorTelemetry =>
  ({ kind: 'elevator', seq, ts, floor: 1 + (seq % 30), direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, mode: 'normal', faultCodes: [] })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gangwan-console-api-'))
  const community = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>
  community.analytics = { health: { reportIntervalMs: { fire: INTERVAL_MS, elevator: INTERVAL_MS, fume: INTERVAL_MS, noise: INTERVAL_MS }, heartbeatIntervalMs: INTERVAL_MS } }
  const communityFile = join(dir, 'community.json')
  await writeFile(communityFile, JSON.stringify(community))
  hub = await startHubProcess({
    GANGWAN_DATA_DIR: join(dir, 'data'), GANGWAN_COMMUNITY: communityFile, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(await freePort()),
    GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: uniqueDb('console_api'), GANGWAN_MODELS: 'off'
  })
  passwords = JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>
  secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>

  // Through the gateway: a fire two detectors confirm 10 min ago, then a fresh reading from S01
  // only (S02 has been silent for > 6 min: offline); a gateway heartbeat now (the camera's stand-in);
  // elevator readings up to a second ago. The fume monitor and the noise meter stay silent.
  const client = await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
  const now = Date.now()
  t0 = now - 10 * 60_000
  await publishTwoDetectorFire(client, t0)
  tS01Last = now - 2000
  await publishAcked(client, topics.telemetry('GW-B01', 'B01-F12-S01'), JSON.stringify({ ...smoke(3, tS01Last, 0.01), batteryPct: 64 }))
  await publishAcked(client, topics.gatewayHeartbeat('GW-B01'), JSON.stringify({ seq: 1, ts: now, uptimeS: 3600 }))
  tElevatorFirst = now - ELEVATOR_READINGS * 1000
  const readings = Array.from({ length: ELEVATOR_READINGS }, (_, i) => elevator(i + 1, tElevatorFirst + i * 1000))
  for (let i = 0; i < readings.length; i += 300) {
    await Promise.all(readings.slice(i, i + 300).map(async (m) => await publishAcked(client, topics.telemetry('GW-B01', 'E-B01-1-C'), JSON.stringify(m))))
  }
  client.end(true)
})
afterAll(async () => {
  for (const c of clients) c.end(true)
  await hub?.kill()
  await rm(dir, { recursive: true, force: true })
})

describe('GET /devices and /devices/summary', () => {
  it('show the devices that reported as online with their battery, the silent one as offline, the others as unknown', async () => {
    const operator = await login('operator')
    const body = await eventually(async () => {
      const r = await operator('GET', '/devices')
      const byId = new Map((r.body.items as Array<{ id: string; status: string; lastSeenAt?: number }>).map((d) => [d.id, d]))
      return byId.get('B01-F12-S01')?.lastSeenAt === tS01Last && byId.get('E-B01-1-C')?.status === 'online' ? r.body : undefined
    }, 30_000, 'the published devices online')
    expect(body.total).toBe(6)
    expect(body.items).toEqual([
      { id: 'B01-F12-S01', kind: 'fire', building: 'B01', floor: 12, zone: 'B01-F12', gateway: 'GW-B01', status: 'online', lastSeenAt: tS01Last, batteryPct: 64, falseAlarms: 0 },
      { id: 'B01-F12-S02', kind: 'fire', building: 'B01', floor: 12, zone: 'B01-F12', gateway: 'GW-B01', status: 'offline', lastSeenAt: t0 + 100_000, batteryPct: 90, falseAlarms: 0 },
      { id: 'E-B01-1-C', kind: 'elevator', building: 'B01', gateway: 'GW-B01', status: 'online', lastSeenAt: tElevatorFirst + (ELEVATOR_READINGS - 1) * 1000, falseAlarms: 0 },
      { id: 'R01-FM', kind: 'fume', building: 'B01', gateway: 'GW-B01', status: 'unknown', falseAlarms: 0 },
      // Cameras report events only: the gateway's heartbeat says whether it is there.
      { id: 'CAM-B01-S', kind: 'falling_object', building: 'B01', gateway: 'GW-B01', status: 'online', falseAlarms: 0 },
      { id: 'N-G01-01', kind: 'noise', building: 'B01', status: 'unknown', falseAlarms: 0 }
    ])
    expect((await operator('GET', '/devices/summary')).body).toEqual({ B01: { online: 3, offline: 1, unknown: 2 } })
  })

  it('filter by status, kind and building, and page', async () => {
    const viewer = await login('viewer')
    const ids = async (q: string): Promise<{ ids: string[]; total: number }> => {
      const r = await viewer('GET', `/devices${q}`)
      expect(r.status).toBe(200)
      return { ids: (r.body.items as Array<{ id: string }>).map((d) => d.id), total: r.body.total }
    }
    expect(await ids('?status=offline')).toEqual({ ids: ['B01-F12-S02'], total: 1 })
    expect(await ids('?kind=fire&status=online')).toEqual({ ids: ['B01-F12-S01'], total: 1 })
    expect(await ids('?building=B01&limit=2&offset=2')).toEqual({ ids: ['E-B01-1-C', 'R01-FM'], total: 6 })
    expect(await ids('?building=B99')).toEqual({ ids: [], total: 0 })
  })

  it('count the false alarms of each device from the incidents closed as such', async () => {
    const operator = await login('operator')
    const fire = await eventually(async () => {
      const { body } = await operator('GET', '/incidents?category=fire&open=true')
      return (body.items as Incident[]).find((i) => i.severity === 'P1' && i.devices.includes('B01-F12-S02'))
    }, 30_000, 'the confirmed fire incident')
    const r = await operator('POST', `/incidents/${fire.id}/actions`, { type: 'false_alarm', reason: 'cooking smoke' })
    expect(r.status).toBe(200)
    const devices = await eventually(async () => {
      const { body } = await operator('GET', '/devices?kind=fire')
      const s02 = (body.items as Array<{ id: string; falseAlarms: number }>).find((d) => d.id === 'B01-F12-S02')
      return s02?.falseAlarms === 1 ? body.items as Array<{ id: string; falseAlarms: number }> : undefined
    }, 30_000, 'the false alarm counted')
    for (const d of devices) expect(d.falseAlarms, d.id).toBe(fire.devices.includes(d.id) ? 1 : 0)
  })
})

describe('GET /telemetry', () => {
  it('returns the device\'s readings in the range, in time order, with their fields', async () => {
    const handler = await login('FIRE-H1')
    const r = await handler('GET', `/telemetry?device=B01-F12-S01&from=${t0 - 1000}&to=${tS01Last}`)
    expect(r.status).toBe(200)
    expect(r.body.device).toBe('B01-F12-S01')
    expect(r.body.kind).toBe('fire')
    expect(r.body.bucketMs).toBeUndefined()
    expect(r.body.points).toEqual([
      { ts: t0, fields: { seq: 1, smokeDbM: 0.01, temperatureC: 23, alarm: false, fault: false, tamper: false, batteryPct: 90 } },
      { ts: t0 + 60_000, fields: { seq: 2, smokeDbM: 0.3, temperatureC: 23, alarm: true, fault: false, tamper: false, batteryPct: 90 } },
      { ts: tS01Last, fields: { seq: 3, smokeDbM: 0.01, temperatureC: 23, alarm: false, fault: false, tamper: false, batteryPct: 64 } }
    ])
    const narrow = await handler('GET', `/telemetry?device=B01-F12-S01&from=${t0 + 1}&to=${tS01Last - 1}`)
    expect(narrow.body.points.map((p: { ts: number }) => p.ts)).toEqual([t0 + 60_000])
  })

  it('thins a range holding more than 2,000 readings to at most 2,000 buckets', async () => {
    const operator = await login('operator')
    const to = tElevatorFirst + ELEVATOR_READINGS * 1000
    const all = await operator('GET', `/telemetry?device=E-B01-1-C&from=${tElevatorFirst}&to=${to}`)
    expect(all.status).toBe(200)
    const points = all.body.points as Array<{ ts: number; fields: Record<string, unknown> }>
    expect(all.body.bucketMs).toBeGreaterThan(1000)
    expect(points.length).toBeLessThanOrEqual(2000)
    expect(points.length).toBeGreaterThan(1000)
    expect(points.map((p) => p.ts)).toEqual(points.map((p) => p.ts).toSorted((a, b) => a - b))
    expect(points[0]!.fields).toMatchObject({ seq: 1, direction: 'stop', passenger: false })
    // A part of it comes back reading by reading.
    const part = await operator('GET', `/telemetry?device=E-B01-1-C&from=${tElevatorFirst}&to=${tElevatorFirst + 99_000}`)
    expect(part.body.bucketMs).toBeUndefined()
    expect((part.body.points as Array<{ fields: { seq: number } }>).map((p) => p.fields.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
  })

  it('an unknown device: 404 GW_ERR_API_NOT_FOUND; more than 7 days: 400 GW_ERR_API_BAD_REQUEST', async () => {
    const operator = await login('operator')
    expect(await operator('GET', '/telemetry?device=NOPE')).toMatchObject({ status: 404, body: { code: 'GW_ERR_API_NOT_FOUND' } })
    expect(await operator('GET', `/telemetry?device=B01-F12-S01&from=${t0 - 8 * 86_400_000}&to=${t0}`)).toMatchObject({ status: 400, body: { code: 'GW_ERR_API_BAD_REQUEST' } })
  })
})

describe('POST /devices/:id/credentials', () => {
  it('an admin re-issues a direct device\'s secret: the new one connects over MQTT, the old one no longer does', async () => {
    const oldSecret = secrets['N-G01-01']!
    const admin = await login('admin')
    const r = await admin('POST', '/devices/N-G01-01/credentials')
    expect(r.status).toBe(201)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.body).toEqual({ id: 'N-G01-01', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) })
    expect(r.body.secret).not.toBe(oldSecret)
    // The simulators' copy follows, as provisioning writes it.
    const file = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    expect(file['N-G01-01']).toBe(r.body.secret)
    expect(file['GW-B01']).toBe(secrets['GW-B01'])

    await expect(connectClient(hub.info.mqttPort, 'N-G01-01', oldSecret)).rejects.toThrow(/Bad username or password|Not authorized/i)
    const noise = await connectClient(hub.info.mqttPort, 'N-G01-01', r.body.secret as string)
    clients.push(noise)
    const msg = sampleTelemetry(1, Date.now()).find((s) => s.device === 'N-G01-01')!.msg
    await publishAcked(noise, topics.telemetry('N-G01-01', 'N-G01-01'), JSON.stringify(msg))
    await eventually(async () => {
      const { body } = await admin('GET', '/devices?kind=noise')
      return body.items[0]?.status === 'online'
    }, 30_000, 'the noise meter online')
  })

  it('only for the community\'s gateways and direct devices (404 GW_ERR_API_NOT_FOUND), and only by an admin (403)', async () => {
    const admin = await login('admin')
    for (const id of ['NOPE', 'B01-F12-S01']) {
      expect(await admin('POST', `/devices/${id}/credentials`), id).toMatchObject({ status: 404, body: { code: 'GW_ERR_API_NOT_FOUND' } })
    }
    for (const user of ['operator', 'dispatcher', 'FIRE-H1']) {
      const call = await login(user)
      expect(await call('POST', '/devices/GW-B01/credentials'), user).toMatchObject({ status: 403, body: { code: 'GW_ERR_API_FORBIDDEN' } })
    }
    // Nothing was rotated by the refusals: the gateway still connects with its secret.
    clients.push(await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!))
  })
})

describe('GET /community and the operations routes', () => {
  it('has the buildings, departments with handlers, restaurants and elevators, and no secrets', async () => {
    const viewer = await login('viewer')
    const r = await viewer('GET', '/community')
    expect(r.status).toBe(200)
    expect(r.body.buildings).toEqual([{
      id: 'B01', name: 'Building 1', grid: 'G01', floors: 30, basementFloors: 0, floorHeightM: 3,
      facades: [{ id: 'S', orientation: 'S', widthM: 40 }], position: { x: 0, y: 0 }, footprint: { widthM: 40, depthM: 20 }
    }])
    expect(r.body.departments.find((d: { id: string }) => d.id === 'D-FIRE').handlers).toEqual([{ id: 'FIRE-H1', name: 'Li Wei' }, { id: 'FIRE-H2', name: 'Wang Fang' }])
    expect(r.body.restaurants.map((x: { id: string }) => x.id)).toEqual(['R01'])
    expect(r.body.elevators.map((x: { id: string }) => x.id)).toEqual(['E-B01-1'])
    const text = JSON.stringify(r.body)
    const file = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    for (const secret of [...Object.values(secrets), ...Object.values(file)]) expect(text).not.toContain(secret)
    expect(r.body).not.toHaveProperty('devices')
    expect(r.body).not.toHaveProperty('gateways')
  })

  it('/metrics and /healthz still answer beside the console, and an unknown API path is a JSON 404', async () => {
    const health = await fetch(`${hub.info.httpUrl}/healthz`, { headers: { accept: 'text/html' } })
    expect(health.headers.get('content-type')).toMatch(/json/)
    expect(await health.json()).toHaveProperty('ok')
    const metrics = await fetch(hub.info.metricsUrl, { headers: { accept: 'text/html' } })
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toMatch(/^# HELP gangwan_/m)
    const nope = await fetch(`${hub.info.apiUrl}/nope`, { headers: { accept: 'text/html' } })
    expect(nope.status).toBe(404)
    expect(await nope.json()).toMatchObject({ code: 'GW_ERR_API_NOT_FOUND' })
  })
})
