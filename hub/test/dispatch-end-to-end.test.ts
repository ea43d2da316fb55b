import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { IncidentSchema, type AuditEntry, type Incident } from '@gangwan/contracts'
import { freePort } from '@gangwan/ingest'
import { startHubProcess, type HubProcess } from '../../test-support/hub-process.ts'
import { connectClient } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { publishTwoDetectorFire } from '../../test-support/two-detector-fire.ts'
import { uniqueDb } from '../../test-support/influx.ts'
import { createTempDatabase, type TempDatabase } from '../../test-support/postgres.ts'

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const dirs: string[] = []
const hubs: HubProcess[] = []
const databases: TempDatabase[] = []
afterAll(async () => {
  for (const h of hubs) await h.kill()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
  for (const db of databases) await db.drop()
})


/** A logged-in console user: calls the API with their session token. */
interface Session { call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }> }

async function login (apiUrl: string, username: string, password: string): Promise<Session> {
  const r = await fetch(`${apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  expect(r.status).toBe(200)
  const { token } = await r.json() as { token: string }
  return {
    async call (method, path, body, headers = {}) {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {})
      })
      return { status: res.status, body: await res.json() }
    }
  }
}

describe.each(['sqlite', 'postgres'] as const)('the hub works incidents end to end on %s: MQTT telemetry → alerts → incident → API', (backend) => {
  it('a fire confirmed by two detectors becomes one incident for the fire-control room, escalates when nobody accepts it in time, and closes only after resolve and verify', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gangwan-dispatch-e2e-'))
    dirs.push(dir)
    // The fixture community with a 2 s accept limit for a confirmed fire, so escalation happens within the test.
    const community = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>
    community.dispatch = { sla: [{ categories: ['fire'], severities: ['P1'], acceptS: 2, arriveS: 600, resolveS: 3600 }, { acceptS: 3600, arriveS: 3600, resolveS: 86_400 }] }
    const communityFile = join(dir, 'community.json')
    await writeFile(communityFile, JSON.stringify(community))
    const pg = backend === 'postgres' ? await createTempDatabase('hub_dispatch') : undefined
    if (pg !== undefined) databases.push(pg)
    const hub = await startHubProcess({
      ...(pg !== undefined ? { GANGWAN_DISPATCH_PG_URL: pg.url } : {}),
      GANGWAN_DATA_DIR: join(dir, 'data'), GANGWAN_COMMUNITY: communityFile, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: String(await freePort()),
      GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: uniqueDb('dispatch_e2e')
    })
    hubs.push(hub)
    const passwords = JSON.parse(await readFile(hub.info.operatorsFile, 'utf8')) as Record<string, string>
    expect(Object.keys(passwords).sort()).toEqual(['COMM-H1', 'ELEV-H1', 'FIRE-H1', 'FIRE-H2', 'admin', 'dispatcher', 'operator', 'viewer'])

    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const gw = await connectClient(hub.info.mqttPort, 'GW-B01', secrets['GW-B01']!)
    const t0 = Date.now() - 10 * 60_000
    await publishTwoDetectorFire(gw, t0)
    gw.end(true)

    const operator = await login(hub.info.apiUrl, 'operator', passwords.operator!)
    // One incident, P1 once the second detector confirmed the fire.
    const incident = await eventually(async () => {
      const { body } = await operator.call('GET', '/incidents?open=true')
      const p1 = (body.items as Incident[]).find((i) => i.severity === 'P1')
      return p1 !== undefined && p1.alertCount >= 2 ? body : undefined
    }, 30_000, 'a P1 fire incident')
    expect(incident.total).toBe(1)
    const fire = IncidentSchema.parse(incident.items[0])
    expect(fire).toMatchObject({ category: 'fire', severity: 'P1', department: 'D-FIRE', location: { building: 'B01', zone: 'B01-F12' } })
    expect(['FIRE-H1', 'FIRE-H2']).toContain(fire.handler)

    // Nobody accepts within 2 s: it escalates to the community tier.
    const escalated = await eventually(async () => {
      const { body } = await operator.call('GET', `/incidents/${fire.id}`)
      return (body.timeline as AuditEntry[]).find((e) => e.event === 'escalated') !== undefined ? body : undefined
    }, 15_000, 'an escalation')
    expect(escalated.incident).toMatchObject({ tier: 1, escalatedTo: ['D-COMM'], missed: ['accept'] })
    const { body: detail } = await operator.call('GET', `/incidents/${fire.id}`)
    expect((detail.alerts as Array<{ alert: { ruleId: string } }>).map((l) => l.alert.ruleId)).toContain('fire.confirmed')

    // The handler works it; they may not verify or close their own work.
    const handler = await login(hub.info.apiUrl, fire.handler!, passwords[fire.handler!]!)
    let version = (await handler.call('GET', `/incidents/${fire.id}`)).body.incident.version as number
    for (const action of [{ type: 'accept' }, { type: 'arrive' }, { type: 'resolve', note: 'kitchen fire put out', evidence: 'clip://B01-F12/1' }]) {
      const r = await handler.call('POST', `/incidents/${fire.id}/actions`, action, { 'if-match': String(version) })
      expect(r.status).toBe(200)
      version = r.body.incident.version
    }
    expect((await handler.call('POST', `/incidents/${fire.id}/actions`, { type: 'verify' })).status).toBe(403)
    // Closing before verification is refused by the lifecycle.
    const early = await operator.call('POST', `/incidents/${fire.id}/actions`, { type: 'close' })
    expect(early).toMatchObject({ status: 409, body: { code: 'GW_ERR_DISPATCH_INVALID_TRANSITION' } })
    expect((await operator.call('POST', `/incidents/${fire.id}/actions`, { type: 'verify' })).status).toBe(200)
    const closed = await operator.call('POST', `/incidents/${fire.id}/actions`, { type: 'close', satisfied: true })
    expect(closed.status).toBe(200)
    expect(closed.body.incident).toMatchObject({ status: 'closed', feedback: { note: 'kitchen fire put out', by: fire.handler } })

    const { body: done } = await operator.call('GET', `/incidents/${fire.id}`)
    expect((done.timeline as AuditEntry[]).map((e) => e.event)).toEqual(expect.arrayContaining(['created', 'dispatch', 'escalated', 'accept', 'arrive', 'resolve', 'verify', 'close']))
    const metrics = await operator.call('GET', '/metrics/incidents?groupBy=category')
    expect(metrics.body.groups.find((g: { key: string }) => g.key === 'fire')).toMatchObject({ incidents: 1, closed: 1, accepted: 1, acceptedOnTime: 0, satisfied: 1 })
    const prom = await (await fetch(hub.info.metricsUrl)).text()
    expect(prom).toMatch(/gangwan_dispatch_incidents_created_total 1\b/)
    expect(prom).toMatch(/gangwan_dispatch_escalations_total [1-9]/)
    expect(prom).toMatch(/gangwan_dispatch_incidents\{status="closed"\} 1\b/)
  })
})
