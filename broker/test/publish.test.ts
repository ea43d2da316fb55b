import { describe, expect, it } from 'vitest'
import type { MqttClient, Packet } from 'mqtt'
import { topics } from '@gangwan/contracts'
import { closedByBroker as closed, eventually, useHarnesses, type Harness } from './support/broker-harness.ts'

const start = useHarnesses()

async function gateway (h: Harness, id: string): Promise<MqttClient> {
  const password = await h.provision(id, 'gateway')
  return await h.connect({ clientId: id, username: id, password })
}

const pubacks = (client: MqttClient): Packet[] => {
  const seen: Packet[] = []
  client.on('packetreceive', (p) => { if (p.cmd === 'puback') seen.push(p) })
  return seen
}

describe('PUBLISH with durable acknowledgement', () => {
  it('sends the PUBACK only after the sink resolved, and hands the sink exactly the message', async () => {
    const h = await start()
    const gw = await gateway(h, 'GW-A')
    const acks = pubacks(gw)
    const topic = topics.telemetry('GW-A', 'S1')
    const payload = Buffer.from(JSON.stringify({ kind: 'smoke', seq: 1, ts: 1763800000000 }))
    const before = Date.now()

    h.sink.mode = 'hold'
    let firstAcked = false
    const first = gw.publishAsync(topic, payload, { qos: 1 }).then(() => { firstAcked = true })
    await eventually(() => h.sink.heldCount === 1, 5000, 'sink to hold the first message')

    // Barrier: a second message acknowledged at once. Had aedes acked the first before the sink
    // settled, that PUBACK would have been written earlier on the same TCP stream.
    h.sink.mode = 'accept'
    await gw.publishAsync(topics.deviceHeartbeat('GW-A', 'S1'), '{"seq":1,"ts":1763800000000}', { qos: 1 })
    expect(acks).toHaveLength(1)
    expect(firstAcked).toBe(false)

    h.sink.release()
    await first
    expect(acks).toHaveLength(2)
    const msg = h.sink.messages[0]
    expect(msg).toMatchObject({ clientId: 'GW-A', topic, qos: 1, retain: false })
    expect(msg?.payload.equals(payload)).toBe(true)
    expect(msg?.receivedAt).toBeGreaterThanOrEqual(before)
    expect(msg?.receivedAt).toBeLessThanOrEqual(Date.now())
    expect(await h.metric('gangwan_broker_messages_in_total')).toBe(2)
    expect(await h.metric('gangwan_broker_connected_clients')).toBe(1)
  })

  it('hands QoS 0 messages to the sink too', async () => {
    const h = await start()
    const gw = await gateway(h, 'GW-A')
    await gw.publishAsync(topics.gatewayHeartbeat('GW-A'), '{"seq":7,"ts":1763800000000}', { qos: 0 })
    await eventually(() => h.sink.messages.length === 1, 5000, 'QoS 0 message in the sink')
    expect(h.sink.messages[0]).toMatchObject({ clientId: 'GW-A', qos: 0, topic: topics.gatewayHeartbeat('GW-A') })
  })

  it('runs QoS 2 through the sink before PUBREC', async () => {
    const h = await start()
    const gw = await gateway(h, 'GW-A')
    let pubrec = false
    gw.on('packetreceive', (p) => { if (p.cmd === 'pubrec') pubrec = true })
    h.sink.mode = 'hold'
    const done = gw.publishAsync(topics.deviceStatus('GW-A', 'S1'), '{"online":true}', { qos: 2, retain: true })
    await eventually(() => h.sink.heldCount === 1, 5000, 'sink to hold the message')
    expect(pubrec).toBe(false)
    h.sink.release()
    await done
    expect(pubrec).toBe(true)
    expect(h.sink.messages).toHaveLength(1)
    expect(h.sink.messages[0]).toMatchObject({ qos: 2, retain: true })
  })

  it('closes the connection without a PUBACK when the sink rejects, and counts sink_failed', async () => {
    const h = await start()
    const gw = await gateway(h, 'GW-A')
    const acks = pubacks(gw)
    h.sink.mode = 'reject'
    gw.publish(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    await closed(gw)
    expect(acks).toHaveLength(0)
    expect(h.sink.messages).toHaveLength(1)
    expect(await h.refusals('sink_failed')).toBe(1)
    expect(await h.metric('gangwan_broker_messages_in_total')).toBe(0)
    expect(h.logs.some((l) => l.code === 'GW_ERR_BROKER_SINK_FAILED' && l.level === 40)).toBe(true)
  })
})

describe('PUBLISH ACL', () => {
  it.each([
    ['another gateway\'s namespace', topics.telemetry('GW-B', 'S1')],
    ['its own command topic', topics.gatewayCommand('GW-A')],
    ['its own device command topic', topics.deviceCommand('GW-A', 'S1')],
    ['a non-Gangwan topic', 'home/livingroom/temperature'],
    ['an unknown channel in its namespace', 'gangwan/v1/GW-A/d/S1/firmware']
  ])('closes the connection on a publish to %s; other clients are unaffected', async (_what, topic) => {
    const h = await start()
    const a = await gateway(h, 'GW-A')
    const b = await gateway(h, 'GW-B')
    const aAcks = pubacks(a)
    a.publish(topic, '{"seq":1}', { qos: 1 })
    const bDone = b.publishAsync(topics.telemetry('GW-B', 'S9'), '{"seq":1}', { qos: 1 })
    await closed(a)
    await bDone
    expect(aAcks).toHaveLength(0)
    expect(h.sink.messages.map((m) => m.clientId)).toEqual(['GW-B'])
    expect(b.connected).toBe(true)
    expect(await h.refusals('publish_denied')).toBe(1)
    const line = h.logs.find((l) => l.reason === 'publish_denied')
    expect(line).toMatchObject({ code: 'GW_ERR_ACL_PUBLISH_DENIED', clientId: 'GW-A', topic })
  })
})

describe('PUBLISH limits', () => {
  it('accepts a payload exactly at the limit and closes on one byte more, before any ack', async () => {
    const h = await start({ maxPayloadBytes: 1024 })
    const a = await gateway(h, 'GW-A')
    await a.publishAsync(topics.telemetry('GW-A', 'S1'), Buffer.alloc(1024, 0x61), { qos: 1 })
    expect(h.sink.messages[0]?.payload.length).toBe(1024)

    const acks = pubacks(a)
    a.publish(topics.telemetry('GW-A', 'S1'), Buffer.alloc(1025, 0x61), { qos: 1 })
    await closed(a)
    expect(acks).toHaveLength(0)
    expect(h.sink.messages).toHaveLength(1)
    expect(await h.refusals('payload_too_large')).toBe(1)
  })

  it('refuses an oversized PUBLISH from its fixed header, without waiting for the body', async () => {
    const h = await start({ maxPayloadBytes: 1024 })
    const a = await gateway(h, 'GW-A')
    const topic = Buffer.from(topics.telemetry('GW-A', 'S1'))
    // PUBLISH QoS 1 announcing 100 MB, of which only the topic length is sent.
    const header = Buffer.from([0x32, 0x80, 0xc2, 0xd7, 0x2f, topic.length >> 8, topic.length & 0xff])
    a.stream.write(header)
    await closed(a)
    expect(await h.refusals('payload_too_large')).toBe(1)
    expect(h.sink.messages).toHaveLength(0)
  })

  it('closes the connection on a topic deeper than maxTopicLevels', async () => {
    const h = await start()
    const a = await gateway(h, 'GW-A')
    a.publish('gangwan/v1/GW-A/d/S1/cmd/ack/extra', '{}', { qos: 1 })
    await closed(a)
    expect(h.sink.messages).toHaveLength(0)
    expect(await h.refusals('topic_too_deep')).toBe(1)
  })
})
