import { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { topics } from '@gangwan/contracts'
import { eventually, useHarnesses, type ConnectError, type Harness } from './support/broker-harness.ts'

const start = useHarnesses()

async function refusedWith (p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p
  } catch (err) {
    return (err as ConnectError).code
  }
  throw new Error('connect was accepted')
}

describe('CONNECT authentication', () => {
  it('refuses a wrong password, an unknown user and missing credentials with 4, a foreign client id with 2', async () => {
    const h = await start()
    const secret = await h.provision('GW-A')
    await h.provision('GW-B')

    expect(await refusedWith(h.connect({ clientId: 'GW-A', username: 'GW-A', password: 'not-the-secret' }))).toBe(4)
    expect(await refusedWith(h.connect({ clientId: 'GW-Z', username: 'GW-Z', password: secret }))).toBe(4)
    expect(await refusedWith(h.connect({ clientId: 'GW-A' }))).toBe(4)
    // Right credentials, but the client id is another credential's: a client id is bound to its credential.
    expect(await refusedWith(h.connect({ clientId: 'GW-B', username: 'GW-A', password: secret }))).toBe(2)

    const text = await h.registry.metrics()
    expect(text).toContain('gangwan_broker_refusals_total{reason="bad_credentials"} 3')
    expect(text).toContain('gangwan_broker_refusals_total{reason="client_id_mismatch"} 1')
    expect(await h.metric('gangwan_broker_connected_clients')).toBe(0)

    const warnings = h.logs.filter((l) => l.msg === 'mqtt refused')
    expect(warnings.map((l) => [l.level, l.reason, l.code])).toEqual([
      [40, 'bad_credentials', 'GW_ERR_AUTH_BAD_CREDENTIALS'],
      [40, 'bad_credentials', 'GW_ERR_AUTH_BAD_CREDENTIALS'],
      [40, 'bad_credentials', 'GW_ERR_AUTH_BAD_CREDENTIALS'],
      [40, 'client_id_mismatch', 'GW_ERR_AUTH_CLIENT_ID_MISMATCH']
    ])
    const allLogs = JSON.stringify(h.logs)
    expect(allLogs).not.toContain(secret)
    expect(allLogs).not.toContain('not-the-secret')
  })

  it('accepts the right credentials and counts the connection', async () => {
    const h = await start()
    const secret = await h.provision('DEV-1', 'device')
    const client = await h.connect({ clientId: 'DEV-1', username: 'DEV-1', password: secret })
    expect(client.connected).toBe(true)
    expect(h.broker.connectedClients).toBe(1)
    expect(await h.metric('gangwan_broker_connections_total')).toBe(1)
    expect(await h.metric('gangwan_broker_connected_clients')).toBe(1)
    await client.endAsync()
    await eventually(() => h.broker.connectedClients === 0, 5000, 'disconnect')
    expect(await h.metric('gangwan_broker_connected_clients')).toBe(0)
  })

  it('refuses a keepalive above the limit (aedes answers CONNACK 6) and counts keepalive_too_long', async () => {
    const h = await start({ keepaliveLimitS: 300 })
    const secret = await h.provision('GW-A')
    expect(await refusedWith(h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, keepalive: 301 }))).toBe(6)
    expect(await h.refusals('keepalive_too_long')).toBe(1)
    const ok = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, keepalive: 300 })
    expect(ok.connected).toBe(true)
  })

  it('closes a connection that sends no CONNECT within connectTimeoutMs and counts connect_timeout', async () => {
    const h = await start({ connectTimeoutMs: 200 })
    const socket = new Socket()
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.on('error', () => {})
    socket.connect(h.broker.port, '127.0.0.1')
    await closed
    expect(await h.refusals('connect_timeout')).toBe(1)
  })
})

describe('last will', () => {
  it('refuses a will outside the client namespace with CONNACK 5', async () => {
    const h = await start()
    const secret = await h.provision('GW-A')
    for (const topic of [topics.gatewayStatus('GW-B'), topics.telemetry('GW-A', 'S1'), 'clients/GW-A/offline']) {
      const code = await refusedWith(h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, will: { topic, payload: Buffer.from('offline'), qos: 1, retain: true } }))
      expect(code).toBe(5)
    }
    expect(await h.refusals('publish_denied')).toBe(3)
  })

  it('hands the will to the sink exactly once when the socket dies, and not on a clean DISCONNECT', async () => {
    const h = await start()
    const secretA = await h.provision('GW-A')
    const secretB = await h.provision('GW-B')
    const will = { topic: topics.gatewayStatus('GW-A'), payload: Buffer.from('{"online":false}'), qos: 1 as const, retain: true }
    const a = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secretA, will })
    const before = Date.now()
    a.stream.destroy()
    await eventually(() => h.sink.messages.length === 1, 5000, 'will in the sink')

    const b = await h.connect({ clientId: 'GW-B', username: 'GW-B', password: secretB, will: { ...will, topic: topics.gatewayStatus('GW-B') } })
    await b.endAsync() // clean DISCONNECT: [MQTT-3.1.2-10] the will is discarded
    // Barrier: a message published after both events has gone through the same sink.
    const a2 = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secretA })
    await a2.publishAsync(topics.gatewayHeartbeat('GW-A'), '{"seq":2}', { qos: 1 })

    expect(h.sink.messages.map((m) => m.topic)).toEqual([topics.gatewayStatus('GW-A'), topics.gatewayHeartbeat('GW-A')])
    const got = h.sink.messages[0]
    expect(got).toMatchObject({ clientId: 'GW-A', qos: 1, retain: true })
    expect(got?.payload.toString()).toBe('{"online":false}')
    expect(got?.receivedAt).toBeGreaterThanOrEqual(before)
  })
})

describe('stop', () => {
  it('closes every connection, even one that never sent CONNECT, without publishing wills', async () => {
    const h = await start() // connectTimeoutMs stays 10 s: stop must not wait for it
    const secret = await h.provision('GW-A')
    const will = { topic: topics.gatewayStatus('GW-A'), payload: Buffer.from('{"online":false}'), qos: 1 as const, retain: true }
    const gw = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, will })
    const gwClosed = new Promise<void>((resolve) => gw.once('close', () => resolve()))
    const raw = new Socket()
    raw.on('error', () => {})
    const rawClosed = new Promise<void>((resolve) => raw.once('close', () => resolve()))
    await new Promise<void>((resolve) => raw.connect(h.broker.port, '127.0.0.1', () => resolve()))
    const port = h.broker.port

    const started = Date.now()
    await h.broker.stop()
    await Promise.all([gwClosed, rawClosed])
    expect(Date.now() - started).toBeLessThan(5000)
    expect(h.broker.connectedClients).toBe(0)
    expect(h.sink.messages).toHaveLength(0)
    const refused = new Socket()
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => { refused.once('error', resolve); refused.connect(port, '127.0.0.1') })
    expect(error.code).toBe('ECONNREFUSED')
  })
})
