import { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { topics } from '@gangwan/contracts'
import { closedByBroker, eventually, useHarnesses, type Harness } from './support/broker-harness.ts'

const start = useHarnesses()

/** Opens a raw TCP connection, writes `bytes` and resolves when the broker closed it. */
async function sendRaw (port: number, bytes: Buffer): Promise<void> {
  const socket = new Socket()
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.connect(port, '127.0.0.1', () => socket.write(bytes))
  await closed
}

// CONNECT with protocol name "MQTX": a well-framed packet whose body mqtt-packet rejects.
const badProtocolName = Buffer.from([0x10, 12, 0x00, 0x04, ...Buffer.from('MQTX'), 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00])

describe('malformed MQTT bytes', () => {
  it.each([
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['a remaining length longer than 4 bytes', Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01])],
    ['a PUBLISH before CONNECT', Buffer.from([0x30, 0x02, 0x00, 0x00])],
    ['a reserved packet type', Buffer.from([0xf0, 0x00])],
    ['a CONNECT whose body is invalid', badProtocolName]
  ])('closes the connection on %s, counts malformed_packet, and keeps serving', async (_what, bytes) => {
    const h = await start()
    await sendRaw(h.broker.port, bytes)
    expect(await h.refusals('malformed_packet')).toBe(1)
    expect(h.logs.find((l) => l.reason === 'malformed_packet')).toMatchObject({ code: 'GW_ERR_MQTT_MALFORMED', level: 40 })

    const secret = await h.provision('GW-A')
    const gw = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: secret })
    await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    expect(h.sink.messages).toHaveLength(1)
  })

  it('closes only the connection that sent garbage after a good CONNECT', async () => {
    const h = await start()
    const [sa, sb] = [await h.provision('GW-A'), await h.provision('GW-B')]
    const a = await h.connect({ clientId: 'GW-A', username: 'GW-A', password: sa })
    const b = await h.connect({ clientId: 'GW-B', username: 'GW-B', password: sb })
    a.stream.write(Buffer.from([0x20, 0x02, 0x00, 0x00])) // CONNACK: only a server sends it
    await closedByBroker(a)
    await b.publishAsync(topics.telemetry('GW-B', 'S1'), '{"seq":1}', { qos: 1 })
    expect(await h.refusals('malformed_packet')).toBe(1)
    expect(h.broker.connectedClients).toBe(1)
  })
})

describe('connection rate limit', () => {
  it('closes connections above maxConnectionsPerSecond from one address and counts rate_limited', async () => {
    const h = await start({ maxConnectionsPerSecond: 3 })
    const sockets = Array.from({ length: 10 }, () => new Socket())
    let closedByBroker = 0
    for (const s of sockets) {
      s.on('error', () => {})
      s.once('close', () => { closedByBroker++ })
      s.connect(h.broker.port, '127.0.0.1')
    }
    // A burst of 3 passes the bucket; refills at 3/s let at most one or two more through meanwhile.
    await eventually(async () => await h.refusals('rate_limited') + await h.metric('gangwan_broker_connections_total') === 10, 5000, 'all connections decided')
    const refused = await h.refusals('rate_limited')
    expect(refused).toBeGreaterThanOrEqual(5)
    await eventually(() => closedByBroker === refused, 5000, 'refused sockets closed')
    expect(h.logs.filter((l) => l.reason === 'rate_limited')).toHaveLength(1) // one line a second, not one per connection
    for (const s of sockets) s.destroy()
  })
})
