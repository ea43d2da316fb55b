import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { CommandSchema, topics, type Command } from '@gangwan/contracts'
import { createHub, loadHubConfig, type Hub, type HubInfo } from '../src/index.ts'
import { connectClient, publishAcked } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { metricValue } from '../../test-support/metrics-text.ts'
import { uniqueDb } from '../../test-support/influx.ts'

// Commands over the hub's real parts: HTTP into the dashboard, out through the hub's aedes to
// mqtt.js clients logged in as gateways with their provisioned credentials, acknowledgements back.

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname

let dir: string
let hub: Hub
let info: HubInfo
let passwords: Record<string, string>
/** The hub's warnings and errors (pino JSON lines), kept off the console. */
const logLines: string[] = []
/** Commands each client received: topic, QoS and the parsed command. */
const inbox = new Map<string, Array<{ topic: string; qos: number; command: Command }>>()
const clients = new Map<string, MqttClient>()

interface Answer { status: number; headers: Headers; body: any }
type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>
const callers = new Map<string, Caller>()

/** Logs in as a console account of the hub once and returns a caller of its API with that session. */
async function as (username: string): Promise<Caller> {
  const known = callers.get(username)
  if (known !== undefined) return known
  const r = await fetch(`${info.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwords[username] }) })
  expect(r.status).toBe(200)
  const { token } = await r.json() as { token: string }
  const call: Caller = async (method, path, body) => {
    const res = await fetch(`${info.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: res.status, headers: res.headers, body: await res.json() }
  }
  callers.set(username, call)
  return call
}

/** Connects as a gateway (or direct device) and subscribes to its command topics at QoS 1. */
async function connectGateway (id: string, secret: string): Promise<MqttClient> {
  const client = await connectClient(info.mqttPort, id, secret)
  clients.set(id, client)
  inbox.set(id, [])
  client.on('message', (topic, payload, packet) => {
    inbox.get(id)!.push({ topic, qos: packet.qos, command: CommandSchema.parse(JSON.parse(payload.toString('utf8'))) })
  })
  const granted = await client.subscribeAsync([topics.gatewayCommand(id), `gangwan/v1/${id}/d/+/cmd`], { qos: 1 })
  expect(granted.map((g) => g.qos)).toEqual([1, 1])
  return client
}

/** The command with this id once the client received it. */
async function received (clientId: string, id: string): Promise<{ topic: string; qos: number; command: Command }> {
  return await eventually(() => inbox.get(clientId)!.find((m) => m.command.id === id), 10_000, `command ${id} at ${clientId}`)
}

async function statusOf (id: string, wanted: string): Promise<any> {
  const viewer = await as('viewer')
  return await eventually(async () => {
    const r = await viewer('GET', `/commands/${id}`)
    return r.status === 200 && r.body.status === wanted ? r.body : undefined
  }, 10_000, `command ${id} ${wanted}`)
}

async function metrics (): Promise<string> {
  return await (await fetch(info.metricsUrl)).text()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gangwan-commands-'))
  // A second gateway, to answer for the first one's commands.
  const community = JSON.parse(await readFile(FIXTURE, 'utf8')) as { gateways: Array<{ id: string; building: string }> }
  community.gateways.push({ id: 'GW-B02', building: 'B01' })
  const communityFile = join(dir, 'community.json')
  await writeFile(communityFile, JSON.stringify(community))
  const log = pino({ level: 'warn' }, { write: (line: string) => { logLines.push(line) } })
  hub = createHub(loadHubConfig({
    GANGWAN_DATA_DIR: join(dir, 'data'), GANGWAN_COMMUNITY: communityFile, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0',
    GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_URL: inject('influxUrl'), GANGWAN_INFLUX_DB: uniqueDb('commands'), GANGWAN_MODELS: 'off',
    GANGWAN_ANALYTICS_REPLAY_S: '0'
  }), { log })
  info = await hub.start()
  passwords = JSON.parse(await readFile(info.operatorsFile, 'utf8')) as Record<string, string>
  const secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
  await connectGateway('GW-B01', secrets['GW-B01']!)
  await connectGateway('GW-B02', secrets['GW-B02']!)
  await connectGateway('N-G01-01', secrets['N-G01-01']!)
})

afterAll(async () => {
  for (const c of clients.values()) c.end(true)
  await hub?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('POST /gateways/:gatewayId/commands', () => {
  it('publishes at QoS 1 to the device behind the gateway; the acknowledgement makes it ok', async () => {
    const admin = await as('admin')
    const r = await admin('POST', '/gateways/GW-B01/commands', { name: 'silence', args: { durationS: 300 }, deviceId: 'B01-F12-S01' })
    expect(r.status).toBe(202)
    expect(r.body).toMatchObject({ gatewayId: 'GW-B01', deviceId: 'B01-F12-S01', name: 'silence', args: { durationS: 300 }, status: 'pending', issuedBy: 'admin' })
    expect(r.body.expiresAt - r.body.issuedAt).toBe(60_000)
    expect(r.headers.get('location')).toBe(`/api/v1/commands/${r.body.id}`)

    const got = await received('GW-B01', r.body.id)
    expect(got.topic).toBe(topics.deviceCommand('GW-B01', 'B01-F12-S01'))
    expect(got.qos).toBe(1)
    expect(got.command).toEqual({ id: r.body.id, name: 'silence', ts: r.body.issuedAt, args: { durationS: 300 } })

    const ackTs = Date.now()
    await publishAcked(clients.get('GW-B01')!, topics.deviceCommandAck('GW-B01', 'B01-F12-S01'), JSON.stringify({ id: r.body.id, ok: true, ts: ackTs }))
    const done = await statusOf(r.body.id, 'ok')
    expect(done).toMatchObject({ ackTs, status: 'ok' })
    expect(done.error).toBeUndefined()
    expect(done.ackedAt).toBeGreaterThanOrEqual(done.issuedAt)

    const list = await (await as('operator'))('GET', '/gateways/GW-B01/commands')
    expect(list.status).toBe(200)
    expect(list.body.items[0]).toEqual(done)
    expect(metricValue(await metrics(), 'gangwan_commands_total', 'name="silence",outcome="ok"')).toBe(1)
  })

  it('shows a refusal (ok: false) as failed with the client\'s error', async () => {
    const r = await (await as('admin'))('POST', '/gateways/GW-B01/commands', { name: 'config', args: { heartbeatIntervalS: 5 } })
    expect(r.status).toBe(202)
    const got = await received('GW-B01', r.body.id)
    expect(got.topic).toBe(topics.gatewayCommand('GW-B01'))
    expect(got.command.args).toEqual({ heartbeatIntervalS: 5 })
    await publishAcked(clients.get('GW-B01')!, topics.gatewayCommandAck('GW-B01'),
      JSON.stringify({ id: r.body.id, ok: false, ts: Date.now(), error: 'heartbeatIntervalS must be 10..3600' }))
    const failed = await statusOf(r.body.id, 'failed')
    expect(failed.error).toBe('heartbeatIntervalS must be 10..3600')
    expect(metricValue(await metrics(), 'gangwan_commands_total', 'name="config",outcome="failed"')).toBe(1)
  })

  it('expires a command nobody answers, and a late answer does not revive it', async () => {
    const r = await (await as('admin'))('POST', '/gateways/GW-B01/commands', { name: 'reset', timeoutS: 1 })
    expect(r.status).toBe(202)
    expect(r.body.expiresAt - r.body.issuedAt).toBe(1000)
    await received('GW-B01', r.body.id)
    await statusOf(r.body.id, 'expired')
    await publishAcked(clients.get('GW-B01')!, topics.gatewayCommandAck('GW-B01'), JSON.stringify({ id: r.body.id, ok: true, ts: Date.now() }))
    await eventually(async () => metricValue(await metrics(), 'gangwan_command_acks_ignored_total', 'reason="late"') === 1, 10_000, 'the late ack counted')
    expect((await (await as('viewer'))('GET', `/commands/${r.body.id}`)).body.status).toBe('expired')
    expect(metricValue(await metrics(), 'gangwan_commands_total', 'name="reset",outcome="expired"')).toBe(1)
  })

  it('ignores an acknowledgement from another gateway and an invalid one; the right one still counts', async () => {
    const r = await (await as('admin'))('POST', '/gateways/GW-B01/commands', { name: 'silence', args: { durationS: 60 }, deviceId: 'B01-F12-S02' })
    await received('GW-B01', r.body.id)
    // GW-B02 may publish only in its own namespace: it answers there, with GW-B01's command id.
    await publishAcked(clients.get('GW-B02')!, topics.deviceCommandAck('GW-B02', 'B01-F12-S02'), JSON.stringify({ id: r.body.id, ok: true, ts: Date.now() }))
    await publishAcked(clients.get('GW-B02')!, topics.gatewayCommandAck('GW-B02'), JSON.stringify({ id: r.body.id, ok: true, ts: Date.now() }))
    await eventually(async () => metricValue(await metrics(), 'gangwan_command_acks_ignored_total', 'reason="foreign"') === 2, 10_000, 'two foreign acks counted')
    // GW-B01 itself, on its gateway-level topic rather than the device's: not the matching topic either.
    await publishAcked(clients.get('GW-B01')!, topics.gatewayCommandAck('GW-B01'), JSON.stringify({ id: r.body.id, ok: false, ts: Date.now(), error: 'x' }))
    await publishAcked(clients.get('GW-B01')!, topics.deviceCommandAck('GW-B01', 'B01-F12-S02'), '{"id":')
    await publishAcked(clients.get('GW-B01')!, topics.deviceCommandAck('GW-B01', 'B01-F12-S02'), JSON.stringify({ id: r.body.id, ok: 'yes', ts: Date.now() }))
    await eventually(async () => {
      const text = await metrics()
      return metricValue(text, 'gangwan_command_acks_ignored_total', 'reason="foreign"') === 3 && metricValue(text, 'gangwan_command_acks_ignored_total', 'reason="invalid"') === 2
    }, 10_000, 'the wrong-topic and invalid acks counted')
    expect((await (await as('viewer'))('GET', `/commands/${r.body.id}`)).body.status).toBe('pending')
    const warnings = logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string; gatewayId?: string })
      .filter((l) => l.msg.startsWith('command acknowledgement ignored'))
    expect(warnings.map((w) => `${w.gatewayId} ${w.reason}`)).toEqual(expect.arrayContaining(['GW-B02 foreign', 'GW-B01 foreign']))

    await publishAcked(clients.get('GW-B01')!, topics.deviceCommandAck('GW-B01', 'B01-F12-S02'), JSON.stringify({ id: r.body.id, ok: true, ts: Date.now() }))
    await statusOf(r.body.id, 'ok')
    // QoS 1 may repeat the acknowledgement: counted, changes nothing.
    await publishAcked(clients.get('GW-B01')!, topics.deviceCommandAck('GW-B01', 'B01-F12-S02'), JSON.stringify({ id: r.body.id, ok: false, ts: Date.now() }))
    await eventually(async () => metricValue(await metrics(), 'gangwan_command_acks_ignored_total', 'reason="repeat"') === 1, 10_000, 'the repeat counted')
    expect((await (await as('viewer'))('GET', `/commands/${r.body.id}`)).body.status).toBe('ok')
  })

  it('reaches a device that connects directly on its own namespace', async () => {
    const r = await (await as('admin'))('POST', '/gateways/N-G01-01/commands', { name: 'reset' })
    expect(r.status).toBe(202)
    const got = await received('N-G01-01', r.body.id)
    expect(got.topic).toBe(topics.gatewayCommand('N-G01-01'))
    await publishAcked(clients.get('N-G01-01')!, topics.gatewayCommandAck('N-G01-01'), JSON.stringify({ id: r.body.id, ok: true, ts: Date.now() }))
    await statusOf(r.body.id, 'ok')
    expect(inbox.get('GW-B01')!.some((m) => m.command.id === r.body.id)).toBe(false)
  })

  it('is for admins only: other roles get 403 and nothing is sent', async () => {
    const before = metricValue(await metrics(), 'gangwan_commands_sent_total', 'name="reset"')
    for (const role of ['operator', 'dispatcher', 'viewer', 'FIRE-H1']) {
      const r = await (await as(role))('POST', '/gateways/GW-B01/commands', { name: 'reset' })
      expect(r.status, role).toBe(403)
      expect(r.body.code, role).toBe('GW_ERR_API_FORBIDDEN')
    }
    const anonymous = await fetch(`${info.apiUrl}/gateways/GW-B01/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"reset"}' })
    expect(anonymous.status).toBe(401)
    expect(metricValue(await metrics(), 'gangwan_commands_sent_total', 'name="reset"')).toBe(before)
  })

  it('answers 404 for a gateway or device the community does not have, 400 for bad commands', async () => {
    const admin = await as('admin')
    const cases: Array<[string, unknown, number, string]> = [
      ['/gateways/GW-NOPE/commands', { name: 'reset' }, 404, 'GW_ERR_API_NOT_FOUND'],
      ['/gateways/GW-B02/commands', { name: 'reset', deviceId: 'B01-F12-S01' }, 404, 'GW_ERR_API_NOT_FOUND'],
      ['/gateways/GW-B01/commands', { name: 'reset', deviceId: 'N-G01-01' }, 404, 'GW_ERR_API_NOT_FOUND'],
      ['/gateways/GW-B01/commands', { name: 'silence' }, 400, 'GW_ERR_COMMAND_INVALID'],
      ['/gateways/GW-B01/commands', { name: 'silence', args: { durationS: -5 } }, 400, 'GW_ERR_COMMAND_INVALID'],
      ['/gateways/GW-B01/commands', { name: 'reset', args: { hard: true } }, 400, 'GW_ERR_COMMAND_INVALID'],
      ['/gateways/GW-B01/commands', { name: 'config', args: {} }, 400, 'GW_ERR_COMMAND_INVALID'],
      ['/gateways/GW-B01/commands', { name: 'Silence!' }, 400, 'GW_ERR_API_BAD_REQUEST'],
      ['/gateways/GW-B01/commands', { name: 'reset', extra: 1 }, 400, 'GW_ERR_API_BAD_REQUEST'],
      ['/gateways/GW-B01/commands', { name: 'reset', timeoutS: 0 }, 400, 'GW_ERR_API_BAD_REQUEST']
    ]
    for (const [path, body, status, code] of cases) {
      const r = await admin('POST', path, body)
      expect({ path, body, status: r.status, code: r.body.code }).toEqual({ path, body, status, code })
    }
    const viewer = await as('viewer')
    expect((await viewer('GET', '/gateways/GW-NOPE/commands')).body.code).toBe('GW_ERR_API_NOT_FOUND')
    const unknown = await viewer('GET', '/commands/c-unknown')
    expect([unknown.status, unknown.body.code]).toEqual([404, 'GW_ERR_API_NOT_FOUND'])
    expect((await viewer('GET', '/gateways/GW-B02/commands')).body).toEqual({ items: [] })
  })
})
