import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommunitySchema, HeartbeatSchema, parseTopic, StatusSchema, TelemetrySchema, type Community } from '@gangwan/contracts'
import { formatCommunity, generateCommunity, type SimulationSummary } from '../src/index.ts'
import { freePort, startMosquitto, type Mosquitto } from '../../test-support/mosquitto.ts'
import { runCli, startCli } from './support/run-cli.ts'

interface Received { topic: string; payload: unknown; retain: boolean }

/** Polls until `check` holds or the deadline passes. */
async function until (check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const lastJsonLine = (stdout: string): SimulationSummary => JSON.parse(stdout.trim().split('\n').pop()!) as SimulationSummary

describe('the CLI against a real Mosquitto', () => {
  let dir: string
  let broker: Mosquitto
  let community: Community
  let communityFile: string
  let credentialsFile: string
  const secrets: Record<string, string> = {}
  const observer = { username: 'observer', password: randomBytes(12).toString('hex') }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gangwan-sim-cli-'))
    // Mosquitto started as root drops to its own user: let it read the password file.
    await chmod(dir, 0o755)
    community = CommunitySchema.parse(generateCommunity({ seed: 3, buildings: 2, devices: 40 }))
    communityFile = join(dir, 'community.json')
    await writeFile(communityFile, formatCommunity(community))
    const clientIds = [...community.gateways.map((g) => g.id), ...community.devices.filter((d) => d.gateway === undefined).map((d) => d.id)]
    for (const id of clientIds) secrets[id] = randomBytes(16).toString('hex')
    credentialsFile = join(dir, 'credentials.json')
    await writeFile(credentialsFile, JSON.stringify(secrets))
    // The broker authenticates like the hub: user name = client id, password = its secret.
    const passwords = join(dir, 'passwords')
    await writeFile(passwords, [...Object.entries(secrets), [observer.username, observer.password]].map(([u, p]) => `${u}:${p}`).join('\n') + '\n', { mode: 0o644 })
    await promisify(execFile)('/usr/bin/mosquitto_passwd', ['-U', passwords])
    await chmod(passwords, 0o644)
    broker = await startMosquitto(['allow_anonymous false', `password_file ${passwords}`, 'max_inflight_messages 0', 'max_queued_messages 0'])
  })
  afterAll(async () => {
    await broker?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('publishes all five kinds on their gateways\' topics, and the summary\'s sent and acked match what a QoS 1 subscriber got', async () => {
    const sub: MqttClient = await mqtt.connectAsync(broker.url, { ...observer, clientId: 'observer', protocolVersion: 4, clean: true, reconnectPeriod: 0 })
    const received: Received[] = []
    sub.on('message', (topic, payload, packet) => { received.push({ topic, payload: JSON.parse(payload.toString()), retain: packet.retain }) })
    await sub.subscribeAsync('gangwan/v1/#', { qos: 1 })
    try {
      const r = await runCli(['--community', communityFile, '--credentials', credentialsFile, '--url', broker.url, '--speed', '600',
        '--duration', '3s', '--start', '2025-06-02T11:30:00+08:00', '--falling-rate', '2000', '--json-summary', '--no-progress'])
      expect(r.code).toBe(0)
      const summary = lastJsonLine(r.stdout)
      expect(summary.refused.total).toBe(0)
      expect(summary.sent).toBeGreaterThan(1000)
      expect(summary.acked).toBe(summary.sent)
      const data = (): Received[] => received.filter((m) => !m.topic.endsWith('/status'))
      await until(() => data().length >= summary.acked)
      expect(data()).toHaveLength(summary.acked)

      const byKind: Record<string, number> = {}
      const seqs = new Map<string, number[]>()
      for (const m of data()) {
        const t = parseTopic(m.topic)
        expect(t).not.toBeNull()
        if (t!.channel === 'heartbeat') {
          expect(HeartbeatSchema.safeParse(m.payload).success).toBe(true)
          byKind.heartbeat = (byKind.heartbeat ?? 0) + 1
        } else {
          const p = TelemetrySchema.parse(m.payload)
          const device = community.devices.find((d) => d.id === t!.device)!
          expect(device.kind).toBe(p.kind)
          expect(t!.gateway).toBe(device.gateway ?? device.id)
          byKind[p.kind] = (byKind[p.kind] ?? 0) + 1
        }
        const seq = (m.payload as { seq: number }).seq
        seqs.set(m.topic, [...(seqs.get(m.topic) ?? []), seq])
      }
      for (const kind of ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'heartbeat']) expect(byKind[kind]).toBeGreaterThan(0)
      expect(byKind).toEqual(summary.perKind)
      // Nothing lost or repeated: every stream is 0, 1, 2, ...
      for (const list of seqs.values()) expect(list).toEqual(list.map((_, i) => i))

      // Each client said it was online, then offline on the clean shutdown.
      const statuses = received.filter((m) => m.topic.endsWith('/status'))
      for (const id of Object.keys(secrets)) {
        const mine = statuses.filter((m) => m.topic === `gangwan/v1/${id}/status`).map((m) => StatusSchema.parse(m.payload))
        expect(mine[0]?.state).toBe('online')
        expect(mine.at(-1)).toMatchObject({ state: 'offline', reason: 'shutdown' })
      }
    } finally {
      await sub.endAsync()
    }
  })

  it('on SIGTERM stops publishing, waits for the acknowledgements, says offline and prints the summary', async () => {
    const sub: MqttClient = await mqtt.connectAsync(broker.url, { ...observer, clientId: 'observer-2', protocolVersion: 4, clean: true, reconnectPeriod: 0 })
    const received: Received[] = []
    sub.on('message', (topic, payload, packet) => { received.push({ topic, payload: JSON.parse(payload.toString()), retain: packet.retain }) })
    await sub.subscribeAsync('gangwan/v1/#', { qos: 1 })
    try {
      const run = startCli(['--community', communityFile, '--credentials', credentialsFile, '--url', broker.url, '--speed', '120', '--json-summary', '--no-progress'])
      const data = (): Received[] => received.filter((m) => !m.topic.endsWith('/status'))
      await until(() => data().length >= 200)
      run.child.kill('SIGTERM')
      const r = await run.done
      expect(r.code).toBe(0)
      const summary = lastJsonLine(r.stdout)
      expect(summary.acked).toBe(summary.sent)
      await until(() => data().length >= summary.acked)
      expect(data()).toHaveLength(summary.sent)
      const lastStatus = (id: string): unknown => received.filter((m) => m.topic === `gangwan/v1/${id}/status`).at(-1)?.payload
      await until(() => Object.keys(secrets).every((id) => (lastStatus(id) as { state?: string } | undefined)?.state === 'offline'))
      for (const id of Object.keys(secrets)) expect(lastStatus(id)).toMatchObject({ state: 'offline', reason: 'shutdown' })
    } finally {
      await sub.endAsync()
    }
  })

  it('counts refused connections by CONNACK code and exits 1 when no client could connect', async () => {
    const wrong = join(dir, 'wrong-credentials.json')
    await writeFile(wrong, JSON.stringify(Object.fromEntries(Object.keys(secrets).map((id) => [id, 'not-the-secret']))))
    const r = await runCli(['--community', communityFile, '--credentials', wrong, '--url', broker.url, '--duration', '1500ms', '--json-summary', '--no-progress'])
    expect(r.code).toBe(1)
    const summary = lastJsonLine(r.stdout)
    expect(summary.clients.everConnected).toBe(0)
    // Mosquitto answers a bad password with 5 (not authorised) on MQTT 3.1.1.
    expect(summary.refused.connections['5']).toBeGreaterThanOrEqual(Object.keys(secrets).length)
    expect(summary.acked).toBe(0)
    expect(summary.unsent).toBeGreaterThan(0)
  })

  it('exits 1 and reports network errors when nothing listens at the url', async () => {
    const r = await runCli(['--community', communityFile, '--url', `mqtt://127.0.0.1:${await freePort()}`, '--duration', '1s', '--json-summary', '--no-progress'])
    expect(r.code).toBe(1)
    expect(lastJsonLine(r.stdout).clients.networkErrors).toBeGreaterThan(0)
  })
})
