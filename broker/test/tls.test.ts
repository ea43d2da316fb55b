import { readFile } from 'node:fs/promises'
import { connect as netConnect, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { Registry } from 'prom-client'
import { topics } from '@gangwan/contracts'
import { brokerConfig, createBroker, createCredentialStore, type BrokerTlsConfig } from '../src/index.ts'
import { closedByBroker, eventually, useHarnesses, type ConnectError, type Harness } from './support/broker-harness.ts'
import { createTestPki, type TestPki } from '../../test-support/tls-fixtures.ts'

const start = useHarnesses()
let pki: TestPki
let ca: Buffer

beforeAll(async () => {
  pki = await createTestPki()
  ca = await readFile(pki.caFile)
}, 60_000)
afterAll(async () => { await pki?.remove() })

const tlsConfig = (extra: Partial<BrokerTlsConfig> = {}): BrokerTlsConfig =>
  ({ port: 0, keyFile: pki.serverKeyFile, certFile: pki.serverCertFile, ...extra })

/** mqtt.js options for the TLS listener of `h`. */
const overTls = (h: Harness) => ({ protocol: 'mqtts' as const, port: h.broker.tlsPort!, ca })

async function connectError (p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p
  } catch (err) {
    return err as ConnectError
  }
  throw new Error('connect was accepted')
}

/** Opens a raw TCP connection to `port`, writes `bytes` (if any) and resolves when the peer closed it. */
async function rawClosed (port: number, bytes?: Buffer): Promise<void> {
  const socket = new Socket()
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.connect(port, '127.0.0.1', () => { if (bytes !== undefined) socket.write(bytes) })
  await closed
}

const tlsRefusals = (h: Harness): Array<Record<string, unknown>> => h.logs.filter((l) => l.reason === 'tls_handshake')

// A well-formed MQTT 3.1.1 CONNECT (client id "GW-A", no credentials): plain MQTT, not TLS.
const plainConnect = Buffer.from([0x10, 16, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x02, 0x00, 0x3c, 0x00, 0x04, ...Buffer.from('GW-A')])

describe('TLS listener', () => {
  it('serves MQTT over TLS beside TCP: a client trusting the CA publishes QoS 1 and gets its PUBACK', async () => {
    const h = await start({ tls: tlsConfig() })
    expect(h.broker.tlsPort).toBeGreaterThan(0)
    expect(h.broker.tlsPort).not.toBe(h.broker.port)
    expect(h.broker.listening).toBe(true)
    const secret = await h.provision('GW-A')
    const gw = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, ...overTls(h) })
    expect((gw.stream as unknown as { encrypted?: boolean }).encrypted).toBe(true)
    const packet = await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    // publishAsync resolves on PUBACK for QoS 1
    expect(packet?.cmd).toBe('publish')
    expect(h.sink.messages.map((m) => [m.clientId, m.topic, m.payload.toString()])).toEqual([['GW-A', topics.telemetry('GW-A', 'S1'), '{"seq":1}']])

    const secretB = await h.provision('GW-B')
    const tcp = await h.connect({ clientId: 'GW-B', username: 'GW-B', password: secretB })
    await tcp.publishAsync(topics.telemetry('GW-B', 'S1'), '{"seq":1}', { qos: 1 })
    expect(h.sink.messages).toHaveLength(2)
    expect(await h.metric('gangwan_broker_connections_total')).toBe(2)
    expect(await h.refusals('tls_handshake')).toBe(0)
    expect(h.logs.find((l) => l.msg === 'broker listening')).toMatchObject({ tlsPort: h.broker.tlsPort, clientCertificates: false })
  })

  it('answers a wrong password over TLS with CONNACK 4 and a foreign client id with 2, counted as on TCP', async () => {
    const h = await start({ tls: tlsConfig() })
    const secret = await h.provision('GW-A')
    await h.provision('GW-B')
    expect((await connectError(h.connect({ clientId: 'GW-A', username: 'GW-A', password: 'not-the-secret', ...overTls(h) }))).code).toBe(4)
    expect((await connectError(h.connect({ clientId: 'GW-B', username: 'GW-A', password: secret, ...overTls(h) }))).code).toBe(2)
    expect(await h.refusals('bad_credentials')).toBe(1)
    expect(await h.refusals('client_id_mismatch')).toBe(1)
    expect(await h.refusals('tls_handshake')).toBe(0)
    expect(JSON.stringify(h.logs)).not.toContain('not-the-secret')
  })

  it('guards frames over TLS as over TCP: an oversized PUBLISH closes the connection without an ack', async () => {
    const h = await start({ maxPayloadBytes: 1024, tls: tlsConfig() })
    const secret = await h.provision('GW-A')
    const gw = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, ...overTls(h) })
    gw.publish(topics.telemetry('GW-A', 'S1'), Buffer.alloc(2048, 0x20), { qos: 1 })
    await closedByBroker(gw)
    expect(await h.refusals('payload_too_large')).toBe(1)
    expect(h.sink.messages).toHaveLength(0)
  })

  it('fails a client that does not trust the CA, and counts the handshake refusal', async () => {
    const h = await start({ tls: tlsConfig() })
    const secret = await h.provision('GW-A')
    const err = await connectError(h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret, protocol: 'mqtts', port: h.broker.tlsPort! }))
    expect((err as unknown as { code: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    await eventually(async () => await h.refusals('tls_handshake') === 1, 5000, 'tls_handshake counted')
    expect(h.sink.messages).toHaveLength(0)
    expect(await h.metric('gangwan_broker_connections_total')).toBe(0)
  })

  it('closes plain MQTT sent to the TLS port, logs the reason with its code and counts it', async () => {
    const h = await start({ tls: tlsConfig() })
    await rawClosed(h.broker.tlsPort!, plainConnect)
    await eventually(async () => await h.refusals('tls_handshake') === 1, 5000, 'tls_handshake counted')
    expect(tlsRefusals(h)).toEqual([expect.objectContaining({ level: 40, msg: 'mqtt refused', code: 'GW_ERR_MQTT_TLS_HANDSHAKE', remoteAddress: '127.0.0.1', detail: expect.stringMatching(/^ERR_SSL_WRONG_VERSION_NUMBER: /) })])
    expect(await h.metric('gangwan_broker_connections_total')).toBe(0)
    expect(await h.refusals('malformed_packet')).toBe(0)
  })

  it('closes a connection whose handshake does not finish within connectTimeoutMs', async () => {
    const h = await start({ connectTimeoutMs: 200, tls: tlsConfig() })
    await rawClosed(h.broker.tlsPort!)
    await eventually(async () => await h.refusals('tls_handshake') === 1, 5000, 'tls_handshake counted')
    expect(tlsRefusals(h)[0]).toMatchObject({ detail: expect.stringMatching(/^ERR_TLS_HANDSHAKE_TIMEOUT: /) })
  })

  it('shares the per-address connection rate limit with the TCP listener', async () => {
    const h = await start({ maxConnectionsPerSecond: 2, tls: tlsConfig() })
    const open: Socket[] = []
    const connected = async (port: number): Promise<Socket> => await new Promise((resolve) => {
      const s = netConnect(port, '127.0.0.1', () => resolve(s))
      s.on('error', () => {})
      open.push(s)
    })
    try {
      await connected(h.broker.port)
      await connected(h.broker.tlsPort!)
      // The bucket of 127.0.0.1 is empty now, whichever listener the next connection reaches.
      await rawClosed(h.broker.tlsPort!)
      expect(await h.refusals('rate_limited')).toBe(1)
    } finally {
      for (const s of open) s.destroy()
    }
  })
})

describe('TLS client certificates (caFile)', () => {
  it('asks for a client certificate signed by the CA, on top of the password', async () => {
    const h = await start({ tls: tlsConfig({ caFile: pki.caFile }) })
    const secret = await h.provision('GW-A')
    const [clientKey, clientCert, otherKey, otherCert] = await Promise.all([pki.clientKeyFile, pki.clientCertFile, pki.otherClientKeyFile, pki.otherClientCertFile].map(async (f) => await readFile(f)))
    const login = { clientId: 'GW-A', username: 'GW-A', password: secret, ...overTls(h) }

    await connectError(h.connect(login))
    await eventually(async () => await h.refusals('tls_handshake') === 1, 5000, 'no certificate counted')
    await connectError(h.connect({ ...login, key: otherKey, cert: otherCert }))
    await eventually(async () => await h.refusals('tls_handshake') === 2, 5000, 'foreign certificate counted')
    // The certificate is an extra check: the password is still verified.
    expect((await connectError(h.connect({ ...login, password: 'not-the-secret', key: clientKey, cert: clientCert }))).code).toBe(4)

    const gw = await h.connect({ ...login, key: clientKey, cert: clientCert })
    await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    expect(h.sink.messages).toHaveLength(1)
    expect(await h.refusals('tls_handshake')).toBe(2)
    expect(h.logs.find((l) => l.msg === 'broker listening')).toMatchObject({ clientCertificates: true })
  })
})

describe('TLS start-up and stop', () => {
  /** Starts a broker with `tls` on a throwaway credential store; resolves the error start() rejected with. */
  async function startError (tls: BrokerTlsConfig): Promise<Error & { code?: string }> {
    const credentials = createCredentialStore({ path: ':memory:' })
    const broker = createBroker(brokerConfig({ host: '127.0.0.1', port: 0, tls }), { log: pino({ level: 'silent' }), metrics: new Registry(), credentials, sink: { accept: () => {} } })
    try {
      await broker.start()
    } catch (err) {
      return err as Error & { code?: string }
    } finally {
      await broker.stop()
      credentials.close()
    }
    throw new Error('start succeeded')
  }

  it.each([
    ['a missing key file', () => tlsConfig({ keyFile: `${pki.dir}/absent.key` }), /TLS key file ".*absent\.key": ENOENT/],
    ['a missing certificate file', () => tlsConfig({ certFile: `${pki.dir}/absent.pem` }), /TLS certificate file ".*absent\.pem": ENOENT/],
    ['a missing CA file', () => tlsConfig({ caFile: `${pki.dir}/absent-ca.pem` }), /TLS CA file ".*absent-ca\.pem": ENOENT/],
    ['a folder as the key', () => tlsConfig({ keyFile: pki.dir }), /TLS key file .*EISDIR/],
    ['a certificate that is not PEM', () => tlsConfig({ certFile: pki.serverKeyFile }), /not usable/],
    ['a key that does not match the certificate', () => tlsConfig({ keyFile: pki.clientKeyFile }), /not usable/]
  ])('fails start with GW_ERR_CONFIG_INVALID on %s', async (_what, tls, message) => {
    const err = await startError(tls())
    expect(err.code).toBe('GW_ERR_CONFIG_INVALID')
    expect(err.message).toMatch(message)
  })

  it('validates and freezes the tls block; without it there is no TLS port', () => {
    const config = brokerConfig({ tls: { port: 8883, keyFile: 'k.pem', certFile: 'c.pem' } })
    expect(config.tls).toEqual({ port: 8883, keyFile: 'k.pem', certFile: 'c.pem' })
    expect(Object.isFrozen(config.tls)).toBe(true)
    expect(brokerConfig()).not.toHaveProperty('tls')
  })

  it.each([
    [{ port: 8883, certFile: 'c.pem' }],
    [{ port: 8883, keyFile: 'k.pem' }],
    [{ port: 70_000, keyFile: 'k.pem', certFile: 'c.pem' }],
    [{ port: 8883, keyFile: '', certFile: 'c.pem' }],
    [{ port: 8883, keyFile: 'k.pem', certFile: 'c.pem', requestCert: true }]
  ])('rejects tls %o with GW_ERR_CONFIG_INVALID', (tls) => {
    expect(() => brokerConfig({ tls } as never)).toThrow(expect.objectContaining({ code: 'GW_ERR_CONFIG_INVALID' }))
  })

  it('fails with GW_ERR_PORT_IN_USE naming the TLS listener when its port is taken', async () => {
    const h = await start({ tls: tlsConfig() })
    const err = await startError(tlsConfig({ port: h.broker.tlsPort! }))
    expect(err.code).toBe('GW_ERR_PORT_IN_USE')
    expect(err.message).toContain(`TLS 127.0.0.1:${h.broker.tlsPort}`)
  })

  it('closes the TLS listener and connections still in their handshake on stop', async () => {
    const h = await start({ tls: tlsConfig() })
    const port = h.broker.tlsPort!
    const pending = new Socket()
    pending.on('error', () => {})
    const pendingClosed = new Promise<void>((resolve) => pending.once('close', () => resolve()))
    await new Promise<void>((resolve) => pending.connect(port, '127.0.0.1', () => resolve()))
    await h.broker.stop()
    await pendingClosed
    expect(h.broker.listening).toBe(false)
    const refused = new Socket()
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => { refused.once('error', resolve); refused.connect(port, '127.0.0.1') })
    expect(error.code).toBe('ECONNREFUSED')
    expect(await h.refusals('tls_handshake')).toBe(0)
  })
})
