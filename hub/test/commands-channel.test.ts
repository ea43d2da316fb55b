import mqtt, { type MqttClient } from 'mqtt'
import pino from 'pino'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandSchema, topics, type Community } from '@gangwan/contracts'
import { brokerConfig, createBroker, createCredentialStore, type Broker, type CredentialStore } from '@gangwan/broker'
import { loadCommunityFile } from '../src/community-file.ts'
import { createCommandChannel, type HubCommandChannel } from '../src/commands/create-command-channel.ts'
import { connectClient } from '../../test-support/mqtt-client.ts'
import { eventually } from '../../test-support/eventually.ts'
import { metricValue } from '../../test-support/metrics-text.ts'

// The channel over a real aedes broker (no ingest, no HTTP): its memory bound, a persistent
// session's delivery after a reconnect, and what happens when the broker is gone.

const FIXTURE = new URL('../../test-support/fixtures/mini-community.json', import.meta.url).pathname
const log = pino({ level: 'silent' })

let community: Community
let credentials: CredentialStore
let broker: Broker
let secret: string
const registries: Registry[] = []
const channels: HubCommandChannel[] = []
const clients: MqttClient[] = []

function channelOf (maxRecent: number): { channel: HubCommandChannel; metrics: Registry } {
  const metrics = new Registry()
  const channel = createCommandChannel({ community, broker, log, metrics, maxRecent })
  registries.push(metrics)
  channels.push(channel)
  return { channel, metrics }
}

beforeAll(async () => {
  community = await loadCommunityFile(FIXTURE)
  credentials = createCredentialStore({ path: ':memory:' })
  secret = await credentials.provision('GW-B01', 'gateway')
  broker = createBroker(brokerConfig({ host: '127.0.0.1', port: 0 }), { log, metrics: new Registry(), credentials, sink: { accept: () => {} } })
  await broker.start()
})

afterAll(async () => {
  for (const c of clients) c.end(true)
  for (const c of channels) await c.stop()
  await broker.stop()
  credentials.close()
})

describe('createCommandChannel', () => {
  it('keeps only the most recent commands; a pending one pushed out is counted as evicted', async () => {
    const { channel, metrics } = channelOf(3)
    await channel.start()
    const sent = []
    for (let i = 0; i < 5; i++) sent.push(await channel.send('GW-B01', { name: 'silence', args: { durationS: 10 + i } }))
    expect(sent.slice(0, 2).map((c) => channel.get(c.id))).toEqual([undefined, undefined])
    expect(channel.list('GW-B01', 100).map((c) => c.id)).toEqual(sent.slice(2).reverse().map((c) => c.id))
    expect(channel.list('GW-B01', 2)).toHaveLength(2)
    expect(channel.pending).toBe(3)
    const text = await metrics.metrics()
    expect(metricValue(text, 'gangwan_commands_total', 'name="silence",outcome="evicted"')).toBe(2)
    expect(metricValue(text, 'gangwan_commands_sent_total', 'name="silence"')).toBe(5)
    expect(metricValue(text, 'gangwan_commands_pending')).toBe(3)
    await channel.stop()
  })

  it('reaches a gateway with a persistent session that was offline when the command went out', async () => {
    const { channel } = channelOf(10)
    await channel.start()
    const first = await connectClient(broker.port, 'GW-B01', secret, { clean: false })
    await first.subscribeAsync(topics.gatewayCommand('GW-B01'), { qos: 1 })
    await first.endAsync()
    const cmd = await channel.send('GW-B01', { name: 'reset' })

    // Listening before the CONNECT: the queued command follows the CONNACK at once.
    const received: unknown[] = []
    const again = mqtt.connect({ host: '127.0.0.1', port: broker.port, protocolVersion: 4, clientId: 'GW-B01', username: 'GW-B01', password: secret, clean: false, reconnectPeriod: 0 })
    clients.push(again)
    again.on('message', (_topic, payload) => { received.push(JSON.parse(payload.toString('utf8'))) })
    const got = await eventually(() => received.find((m) => (m as { id: string }).id === cmd.id), 10_000, 'the queued command')
    expect(CommandSchema.parse(got)).toEqual({ id: cmd.id, name: 'reset', ts: cmd.issuedAt, args: {} })
    await channel.stop()
  })

  it('refuses with GW_ERR_COMMAND_UNAVAILABLE and keeps nothing when the broker is gone or the channel stopped', async () => {
    const { channel } = channelOf(10)
    await channel.start()
    await channel.stop()
    await expect(channel.send('GW-B01', { name: 'reset' })).rejects.toMatchObject({ code: 'GW_ERR_COMMAND_UNAVAILABLE' })

    const live = channelOf(10).channel
    await live.start()
    await broker.stop()
    await expect(live.send('GW-B01', { name: 'reset' })).rejects.toMatchObject({ code: 'GW_ERR_COMMAND_UNAVAILABLE', message: 'command not published: broker is not running' })
    expect(live.list('GW-B01', 10)).toEqual([])
    expect(live.pending).toBe(0)
  })
})
