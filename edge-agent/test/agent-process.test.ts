import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freePort } from '@gangwan/ingest'
import { CommandAckSchema, HeartbeatSchema, StatusSchema, TelemetrySchema, topics, type CommandAck } from '@gangwan/contracts'
import { createModbusDeviceServer, type ModbusDeviceServer } from '../../simulators/src/modbus/index.ts'
import { startEdgeProcess, type EdgeProcess } from '../../test-support/edge-process.ts'
import { runCli } from '../../simulators/test/support/run-cli.ts'
import { EDGE_ENV, EDGE_NODE_FLAGS, EDGE_SHEBANG } from '../src/node-flags.ts'
import { startMosquitto, type Mosquitto } from '../../test-support/mosquitto.ts'
import { createTestPki } from '../../test-support/tls-fixtures.ts'
import { startTcpProxy, type TcpProxy } from '../../test-support/tcp-proxy.ts'
import { eventually } from '../../test-support/eventually.ts'
import { metricValue } from '../../test-support/metrics-text.ts'

// The agent as a process (its bundle, started by its command) between LAN devices (real MQTT
// clients, a Modbus TCP server of simulated devices) and an upstream broker (a real Mosquitto
// behind a cuttable TCP link), observed only at those boundaries and on its /metrics.

const GW = 'GW-B01'
const cleanup: Array<() => Promise<unknown>> = []
let upstream: Mosquitto
let hub: MqttClient
const received: Array<{ topic: string, payload: Buffer, retain: boolean }> = []
let modbus: ModbusDeviceServer
let fume = { fumeMgM3: 1.25, particulateMgM3: 2.5, nmhcMgM3: 3.75, fanCurrentA: 3.1, purifierCurrentA: 1.2, fanOn: true, purifierOn: false }

beforeAll(async () => {
  upstream = await startMosquitto()
  cleanup.push(upstream.stop)
  hub = mqtt.connect({ host: '127.0.0.1', port: upstream.port, clientId: 'hub-observer', protocolVersion: 4 })
  await new Promise<void>((resolve) => hub.once('connect', () => resolve()))
  await hub.subscribeAsync('gangwan/v1/#', { qos: 1 })
  hub.on('message', (topic, payload, packet) => { received.push({ topic, payload, retain: packet.retain }) })
  cleanup.push(async () => { await hub.endAsync(true) })
  modbus = await createModbusDeviceServer({ port: 0, units: [{ unitId: 1, model: 'fume-fm200', read: () => fume }, { unitId: 9 }] })
  cleanup.push(modbus.close)
})
afterAll(async () => { for (const c of cleanup.reverse()) await c().catch(() => {}) })
// Every test's agent is the same gateway: only one may be connected at a time.
const perTest: Array<() => Promise<unknown>> = []
beforeEach(() => { received.length = 0 })
afterEach(async () => { for (const c of perTest.splice(0).reverse()) await c().catch(() => {}) })

interface Started { agent: EdgeProcess, link: TcpProxy, dir: string, localPort: number, metrics: () => Promise<string> }

async function startAgent (extra: Record<string, unknown> = {}, opts: { bin?: string, cwd?: string } = {}): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), 'gangwan-edge-'))
  cleanup.push(async () => { await rm(dir, { recursive: true, force: true }) })
  const link = await startTcpProxy(upstream.port)
  perTest.push(link.close)
  const localPort = await freePort()
  const config = {
    gatewayId: GW,
    dataDir: join(dir, 'data'),
    uplink: { url: `mqtt://127.0.0.1:${link.port}`, password: 'secret', reconnectMinMs: 100, reconnectMaxMs: 500 },
    local: { mqtt: { host: '127.0.0.1', port: localPort } },
    http: { port: 0 },
    ...extra
  }
  const agent = await startEdgeProcess(join(dir, 'edge.json'), config, opts)
  perTest.push(async () => { await agent.kill() })
  return { agent, link, dir, localPort, metrics: async () => await (await fetch(`http://127.0.0.1:${agent.ready.httpPort}/metrics`)).text() }
}

async function device (port: number, id: string): Promise<MqttClient> {
  const c = mqtt.connect({ host: '127.0.0.1', port, clientId: id, protocolVersion: 4, reconnectPeriod: 0 })
  await new Promise<void>((resolve, reject) => { c.once('connect', () => resolve()); c.once('error', reject) })
  perTest.push(async () => { await c.endAsync(true) })
  return c
}

const on = (topic: string): Array<{ topic: string, payload: Buffer, retain: boolean }> => received.filter((m) => m.topic === topic)
const json = (b: Buffer): Record<string, unknown> => JSON.parse(b.toString('utf8')) as Record<string, unknown>
const fire = (seq: number, alarm = false): string => JSON.stringify({ kind: 'fire', seq, ts: Date.now(), smokeDbM: alarm ? 0.3 : 0.01, temperatureC: 22, alarm, fault: false, tamper: false })
const fumeReading = (seq: number): string => JSON.stringify({ kind: 'fume', seq, ts: Date.now(), fumeMgM3: 0.5, particulateMgM3: 1, nmhcMgM3: 2, fanCurrentA: 3, fanOn: true, purifierCurrentA: 1, purifierOn: true })

async function command (cmd: { id: string, name: string, args?: Record<string, unknown> }, deviceId?: string): Promise<CommandAck> {
  const ackTopic = deviceId === undefined ? topics.gatewayCommandAck(GW) : topics.deviceCommandAck(GW, deviceId)
  const before = on(ackTopic).length
  await hub.publishAsync(deviceId === undefined ? topics.gatewayCommand(GW) : topics.deviceCommand(GW, deviceId), JSON.stringify({ ts: Date.now(), args: {}, ...cmd }), { qos: 1 })
  const m = await eventually(() => on(ackTopic).slice(before).find((x) => json(x.payload).id === cmd.id), 10_000, `answer to ${cmd.id}`)
  return CommandAckSchema.parse(json(m.payload))
}

describe('edge agent process', () => {
  it('polls a Modbus device over real TCP and relays its readings, numbered by the agent, with its presence', async () => {
    const { agent } = await startAgent({ modbus: { devices: [{ id: 'R01-FM', kind: 'fume', model: 'fume-fm200', host: '127.0.0.1', port: modbus.port, unitId: 1, intervalS: 1 }] } })
    const topic = topics.telemetry(GW, 'R01-FM')
    const first = await eventually(() => on(topic)[0], 15_000, 'a polled reading upstream')
    const reading = TelemetrySchema.parse(json(first.payload))
    expect(reading).toMatchObject({ kind: 'fume', fumeMgM3: 1.25, particulateMgM3: 2.5, nmhcMgM3: 3.75, fanOn: true, purifierOn: false })
    expect(reading.kind === 'fume' && reading.fanCurrentA).toBeCloseTo(3.1, 5)
    fume = { ...fume, fumeMgM3: 4.5 }
    const later = await eventually(() => on(topic).map((m) => TelemetrySchema.parse(json(m.payload))).find((t) => t.kind === 'fume' && t.fumeMgM3 === 4.5), 15_000, 'the changed value')
    // seq = bootCount × 1e9 + n: never reused across restarts (docs/protocol.md §5).
    expect(Math.floor(reading.seq / 1e9)).toBe(agent.ready.bootCount)
    expect(later.seq).toBeGreaterThan(reading.seq)
    const presence = await eventually(() => on(topics.deviceStatus(GW, 'R01-FM'))[0], 5000, 'presence')
    expect(StatusSchema.parse(json(presence.payload))).toMatchObject({ state: 'online' })
    // Presence is retained: a client subscribing later is told at once.
    const late = mqtt.connect({ host: '127.0.0.1', port: upstream.port, clientId: 'late-observer', protocolVersion: 4 })
    perTest.push(async () => { await late.endAsync(true) })
    const retained = new Promise<Buffer>((resolve) => late.on('message', (_t, payload, packet) => { if (packet.retain) resolve(payload) }))
    await late.subscribeAsync(topics.deviceStatus(GW, 'R01-FM'), { qos: 1 })
    expect(StatusSchema.parse(json(await retained))).toMatchObject({ state: 'online' })
    const gatewayStatus = on(topics.gatewayStatus(GW)).map((m) => StatusSchema.parse(json(m.payload)))
    expect(gatewayStatus.some((s) => s.state === 'online')).toBe(true)
    const beat = await eventually(() => on(topics.gatewayHeartbeat(GW))[0], 5000, 'heartbeat')
    expect(HeartbeatSchema.parse(json(beat.payload))).toMatchObject({ spoolDepth: expect.any(Number), drops: 0, memMb: expect.any(Number), cpuPct: expect.any(Number) })
    // The polling interval is a setting the hub may change per device, answered by the agent.
    expect(await command({ id: 'c-poll-1', name: 'config', args: { reportIntervalS: 2 } }, 'R01-FM')).toMatchObject({ ok: true })
    expect(await command({ id: 'c-poll-2', name: 'config', args: { reportIntervalS: 0 } }, 'R01-FM')).toMatchObject({ ok: false, error: expect.stringMatching(/reportIntervalS/) })
    expect(await command({ id: 'c-poll-3', name: 'silence', args: { durationS: 5 } }, 'R01-FM')).toMatchObject({ ok: false })
    await agent.stop()
    await eventually(() => on(topics.gatewayStatus(GW)).map((m) => StatusSchema.parse(json(m.payload))).find((s) => s.state === 'offline' && s.reason === 'shutdown'), 5000, 'offline on shutdown')
  })

  it('sounds the local sounder on a fire alarm while the uplink is down; the hub silences and resets it by command', async () => {
    const { link, localPort, metrics, agent } = await startAgent({ sounders: [{ type: 'modbus-coil', host: '127.0.0.1', port: modbus.port, unitId: 9, coil: 0 }] })
    link.cut()
    await eventually(async () => metricValue(await metrics(), 'gangwan_edge_uplink_up') === 0, 5000, 'uplink down')
    const detector = await device(localPort, 'B01-F12-S01')
    await detector.publishAsync(topics.telemetry(GW, 'B01-F12-S01'), fire(1, true), { qos: 1 })
    await eventually(() => modbus.coils(9)[0] === true, 5000, 'sounder relay on')
    expect(metricValue(await metrics(), 'gangwan_edge_sounder_on')).toBe(1)

    link.restore()
    const alarm = await eventually(() => on(topics.telemetry(GW, 'B01-F12-S01')).find((m) => json(m.payload).seq === 1), 10_000, 'the alarm reaching the hub after the outage')
    expect(json(alarm.payload).alarm).toBe(true)
    expect(await command({ id: 'c-silence-1', name: 'silence', args: { durationS: 300 } })).toMatchObject({ id: 'c-silence-1', ok: true })
    await eventually(() => modbus.coils(9)[0] === false, 5000, 'sounder silenced')
    // A second detector alarming ends the silence.
    await detector.publishAsync(topics.telemetry(GW, 'B01-F12-S02'), fire(1, true), { qos: 1 })
    await eventually(() => modbus.coils(9)[0] === true, 5000, 'sounder on again for a new device')
    // QoS 1 may deliver a command twice: the same answer, not applied again (the sounder stays on).
    const again = await command({ id: 'c-silence-1', name: 'silence', args: { durationS: 300 } })
    expect(again.ok).toBe(true)
    expect(modbus.coils(9)[0]).toBe(true)
    expect(await command({ id: 'c-reset-1', name: 'reset' })).toMatchObject({ ok: true })
    await eventually(() => modbus.coils(9)[0] === false, 5000, 'sounder off after reset')

    // Settings applied without a restart; one it cannot apply is named.
    const cfg = await command({ id: 'c-config-1', name: 'config', args: { heartbeatIntervalS: 10, smokeThresholdDbM: 0.1, bogus: 1 } })
    expect(cfg.ok).toBe(false)
    expect(cfg.error).toMatch(/bogus/)
    const health = await (await fetch(`http://127.0.0.1:${agent.ready.httpPort}/healthz`)).json() as { settings: Record<string, number> }
    expect(health.settings).toMatchObject({ heartbeatIntervalS: 10, smokeThresholdDbM: 0.1 })
    const bad = await command({ id: 'c-config-2', name: 'config', args: { heartbeatIntervalS: 5 } })
    expect(bad).toMatchObject({ ok: false })
    expect(await command({ id: 'c-what', name: 'dance' })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command/) })
    expect(metricValue(await metrics(), 'gangwan_edge_commands_total', 'outcome="ok"')).toBeGreaterThan(0)
  })

  it('when the spool is full drops only the oldest low-priority readings, counts them, and delivers every life-safety reading', async () => {
    const { link, localPort, metrics } = await startAgent({ spool: { maxReadings: 50 } })
    link.cut()
    await eventually(async () => metricValue(await metrics(), 'gangwan_edge_uplink_up') === 0, 5000, 'uplink down')
    const fumeDevice = await device(localPort, 'R01-FM')
    for (let seq = 0; seq < 50; seq++) await fumeDevice.publishAsync(topics.telemetry(GW, 'R01-FM'), fumeReading(seq), { qos: 1 })
    const detector = await device(localPort, 'B01-F12-S02')
    for (let seq = 100; seq < 130; seq++) await detector.publishAsync(topics.telemetry(GW, 'B01-F12-S02'), fire(seq), { qos: 1 })
    // Last in, an alarm: it goes out before the whole backlog.
    const other = await device(localPort, 'B01-F12-S01')
    await other.publishAsync(topics.telemetry(GW, 'B01-F12-S01'), fire(900, true), { qos: 1 })
    const full = await metrics()
    expect(metricValue(full, 'gangwan_edge_dropped_total')).toBe(31)
    expect(metricValue(full, 'gangwan_edge_spool_depth')).toBe(50)
    expect(metricValue(full, 'gangwan_edge_spool_alarm_depth')).toBe(1)
    link.restore()
    await eventually(async () => metricValue(await metrics(), 'gangwan_edge_spool_depth') === 0, 15_000, 'spool drained')
    // At least once upstream (a resend after a reconnect is removed by the hub): compare first arrivals.
    const fireSeqs = [...new Set(on(topics.telemetry(GW, 'B01-F12-S02')).map((m) => json(m.payload).seq as number))]
    expect(fireSeqs).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i))
    // The alarm first, then life safety: the fire readings overtake the fume readings spooled before them.
    const telemetry = received.filter((m) => m.topic.endsWith('/telemetry'))
    expect(telemetry.findIndex((m) => m.topic.includes('B01-F12-S02'))).toBeLessThan(telemetry.findIndex((m) => m.topic.includes('R01-FM')))
    const fumeSeqs = [...new Set(on(topics.telemetry(GW, 'R01-FM')).map((m) => json(m.payload).seq as number))]
    expect(fumeSeqs).toEqual(Array.from({ length: 19 }, (_, i) => 31 + i))
    expect(json(telemetry[0]!.payload)).toMatchObject({ seq: 900, alarm: true })
  })

  it('dead-letters invalid local messages with a reason and a counter, never upstream', async () => {
    const { localPort, metrics, dir } = await startAgent({ devices: { 'B01-F12-S01': 'fire', 'R01-FM': 'fume' } })
    const c = await device(localPort, 'B01-F12-S01')
    const t = topics.telemetry(GW, 'B01-F12-S01')
    await c.publishAsync(t, '{not json', { qos: 1 })
    await c.publishAsync(t, JSON.stringify({ kind: 'fire', seq: 1, ts: Date.now(), alarm: 'yes', fault: false, tamper: false, smokeDbM: 0.1 }), { qos: 1 })
    await c.publishAsync(topics.telemetry(GW, 'B01-F99-S99'), fire(2), { qos: 1 })
    await c.publishAsync(topics.telemetry(GW, 'R01-FM'), fire(3), { qos: 1 })
    await c.publishAsync(t, fire(4000), { qos: 1 })
    const text = await metrics()
    for (const reason of ['GW_ERR_EDGE_BAD_JSON', 'GW_ERR_EDGE_SCHEMA', 'GW_ERR_EDGE_UNKNOWN_DEVICE', 'GW_ERR_EDGE_KIND_MISMATCH']) {
      expect(metricValue(text, 'gangwan_edge_invalid_total', `reason="${reason}"`), reason).toBe(1)
    }
    const lines = readFileSync(join(dir, 'data', 'dead-letter.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string, payload?: string })
    expect(lines.map((l) => l.reason)).toEqual(['GW_ERR_EDGE_BAD_JSON', 'GW_ERR_EDGE_SCHEMA', 'GW_ERR_EDGE_UNKNOWN_DEVICE', 'GW_ERR_EDGE_KIND_MISMATCH'])
    expect(lines[0]!.payload).toBe('{not json')
    // The valid one arrives; none of the invalid ones do.
    await eventually(() => on(t).find((m) => json(m.payload).seq === 4000), 10_000, 'the valid reading')
    expect(on(t).filter((m) => m.payload.toString().startsWith('{not') || json(m.payload).seq === 1)).toEqual([])
    expect(on(topics.telemetry(GW, 'B01-F99-S99'))).toEqual([])
    // A publish outside the gateway's device topics closes that device's connection.
    const rogue = await device(localPort, 'rogue')
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()))
    rogue.publish('gangwan/v1/GW-OTHER/d/X/telemetry', fire(1), { qos: 1 })
    await closed
  })

  it('runs alone from its two installed files, outside the repository', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url))
    const install = await mkdtemp(join(tmpdir(), 'gangwan-edge-install-'))
    cleanup.push(async () => { await rm(install, { recursive: true, force: true }) })
    mkdirSync(join(install, 'bin'))
    mkdirSync(join(install, 'dist'))
    cpSync(join(root, 'bin', 'gangwan-edge.mjs'), join(install, 'bin', 'gangwan-edge.mjs'))
    cpSync(join(root, 'dist', 'gangwan-edge.cjs'), join(install, 'dist', 'gangwan-edge.cjs'))
    const { localPort } = await startAgent({}, { bin: join(install, 'bin', 'gangwan-edge.mjs'), cwd: install })
    const c = await device(localPort, 'B01-F12-S01')
    await c.publishAsync(topics.telemetry(GW, 'B01-F12-S01'), fire(77), { qos: 1 })
    await eventually(() => on(topics.telemetry(GW, 'B01-F12-S01')).find((m) => json(m.payload).seq === 77), 10_000, 'relayed by the installed agent')
    // Started directly (./gangwan-edge.mjs), the bin gives the agent its V8 flags and environment on its first line.
    expect(readFileSync(join(install, 'bin', 'gangwan-edge.mjs'), 'utf8').split('\n')[0]).toBe(EDGE_SHEBANG)
    // The README's systemd unit starts node itself: it must give the same flags and environment.
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme).toContain(`ExecStart=/usr/bin/node ${EDGE_NODE_FLAGS.join(' ')} /opt/gangwan-edge/bin/gangwan-edge.mjs`)
    for (const [k, v] of Object.entries(EDGE_ENV)) expect(readme).toContain(`Environment=${k}=${v}`)
    const bundle = readFileSync(join(install, 'dist', 'gangwan-edge.cjs'), 'utf8')
    for (const forbidden of ['fastify', 'onnxruntime', '@influxdata']) expect(bundle.includes(forbidden), forbidden).toBe(false)
    // mqtt.js's WebSocket transport (the ws package) is stubbed out of the bundle (rolldown.config.mjs).
    expect(bundle.includes('Sec-WebSocket-Key')).toBe(false)
  })

  it('relays the simulator\'s devices of its gateway, published on its LAN listener', async () => {
    const { localPort, metrics } = await startAgent()
    const fixture = fileURLToPath(new URL('../../test-support/fixtures/mini-community.json', import.meta.url))
    const run = await runCli(['--community', fixture, '--gateway', GW, '--url', `mqtt://127.0.0.1:${localPort}`, '--speed', '600', '--duration', '3s', '--no-progress', '--json-summary'], 60_000)
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { messages?: unknown }
    expect(summary).toBeTypeOf('object')
    const kinds = await eventually(() => {
      const k = new Set(received.filter((m) => m.topic.endsWith('/telemetry')).map((m) => TelemetrySchema.parse(json(m.payload)).kind))
      return k.size >= 3 ? k : undefined
    }, 15_000, 'telemetry of several kinds relayed')
    expect([...kinds]).toEqual(expect.arrayContaining(['fire', 'elevator', 'fume']))
    expect(received.every((m) => m.topic.startsWith(`gangwan/v1/${GW}/`))).toBe(true)
    expect(metricValue(await metrics(), 'gangwan_edge_invalid_total') ?? 0).toBe(0)
  })

  it('uses TLS to the hub: verifies the hub\'s certificate and presents its own', async () => {
    const pki = await createTestPki()
    cleanup.push(pki.remove)
    const secure = await startMosquitto(['allow_anonymous true', 'user root', `cafile ${pki.caFile}`, `certfile ${pki.serverCertFile}`, `keyfile ${pki.serverKeyFile}`, 'require_certificate true'])
    cleanup.push(secure.stop)
    const tls = { url: `mqtts://127.0.0.1:${secure.port}`, password: 'secret', caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile, reconnectMinMs: 100, reconnectMaxMs: 500 }
    const observer = mqtt.connect({ host: '127.0.0.1', port: secure.port, protocol: 'mqtts', ca: readFileSync(pki.caFile), cert: readFileSync(pki.clientCertFile), key: readFileSync(pki.clientKeyFile), clientId: 'tls-observer', protocolVersion: 4 })
    perTest.push(async () => { await observer.endAsync(true) })
    await new Promise<void>((resolve, reject) => { observer.once('connect', () => resolve()); observer.once('error', reject) })
    const seen: number[] = []
    observer.on('message', (_t, payload) => { seen.push(json(payload).seq as number) })
    await observer.subscribeAsync(topics.telemetry(GW, 'B01-F12-S01'), { qos: 1 })
    const { localPort } = await startAgent({ uplink: tls })
    const d = await device(localPort, 'B01-F12-S01')
    await d.publishAsync(topics.telemetry(GW, 'B01-F12-S01'), fire(5150), { qos: 1 })
    await eventually(() => seen.includes(5150), 10_000, 'a reading over TLS')

    // A hub whose certificate is not signed by the configured CA is never sent anything.
    const { metrics } = await startAgent({ uplink: { ...tls, caFile: pki.otherCaFile } })
    await eventually(async () => (metricValue(await metrics(), 'gangwan_edge_uplink_connects_total', 'outcome="failed"') ?? 0) >= 2, 10_000, 'refused TLS connections')
    expect(metricValue(await metrics(), 'gangwan_edge_uplink_up')).toBe(0)
  })
})
