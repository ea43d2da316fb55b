import { describe, expect, it } from 'vitest'
import type { MqttClient, Packet } from 'mqtt'
import { topics } from '@gangwan/contracts'
import { closedByBroker, eventually, useHarnesses, type Harness } from './support/broker-harness.ts'

const start = useHarnesses()

async function client (h: Harness, id: string, role: 'gateway' | 'device' | 'service' = 'gateway'): Promise<MqttClient> {
  const password = await h.provision(id, role)
  return await h.connect({ clientId: id, username: id, password })
}

/** Sends one SUBSCRIBE and returns the SUBACK's granted list as it came over the wire. */
async function subscribe (c: MqttClient, filters: string[]): Promise<number[]> {
  const suback = new Promise<number[]>((resolve) => {
    const onPacket = (p: Packet): void => {
      if (p.cmd === 'suback') { c.off('packetreceive', onPacket); resolve(p.granted as number[]) }
    }
    c.on('packetreceive', onPacket)
  })
  c.subscribe(Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])), () => {})
  return await suback
}

describe('SUBSCRIBE ACL', () => {
  it('grants a gateway its own command topics and answers 0x80 for every other filter of the same SUBSCRIBE', async () => {
    const h = await start()
    const gw = await client(h, 'GW-A')
    const granted = await subscribe(gw, [
      topics.gatewayCommand('GW-A'),
      'gangwan/v1/GW-A/d/+/cmd',
      topics.deviceCommand('GW-A', 'S1'),
      topics.gatewayCommand('GW-B'),
      topics.telemetry('GW-A', 'S1'),
      'gangwan/v1/#',
      '#'
    ])
    expect(granted).toEqual([1, 1, 1, 0x80, 0x80, 0x80, 0x80])
    expect(gw.connected).toBe(true)
    expect(await h.refusals('subscribe_denied')).toBe(4)
    expect(h.logs.filter((l) => l.reason === 'subscribe_denied').map((l) => l.code)).toEqual(Array(4).fill('GW_ERR_ACL_SUBSCRIBE_DENIED'))
  })

  it('lets a service read everything under gangwan/v1/ and send commands that reach the gateway', async () => {
    const h = await start()
    const gw = await client(h, 'GW-A')
    const svc = await client(h, 'SVC-dashboard', 'service')
    expect(await subscribe(svc, ['gangwan/v1/#'])).toEqual([1])
    expect(await subscribe(svc, ['$SYS/#'])).toEqual([0x80])
    expect(await subscribe(gw, ['gangwan/v1/GW-A/d/+/cmd'])).toEqual([1])

    const seenBySvc: string[] = []
    svc.on('message', (topic) => seenBySvc.push(topic))
    const seenByGw: Array<[string, string]> = []
    gw.on('message', (topic, payload) => seenByGw.push([topic, payload.toString()]))

    await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    await svc.publishAsync(topics.deviceCommand('GW-A', 'S1'), '{"op":"silence"}', { qos: 1 })
    await eventually(() => seenByGw.length === 1 && seenBySvc.length === 2, 5000, 'deliveries')
    expect(seenByGw).toEqual([[topics.deviceCommand('GW-A', 'S1'), '{"op":"silence"}']])
    expect(seenBySvc).toEqual([topics.telemetry('GW-A', 'S1'), topics.deviceCommand('GW-A', 'S1')])
    expect(h.sink.messages.map((m) => [m.clientId, m.topic])).toEqual([
      ['GW-A', topics.telemetry('GW-A', 'S1')],
      ['SVC-dashboard', topics.deviceCommand('GW-A', 'S1')]
    ])
  })

  it('skips routing telemetry and heartbeats nobody may receive, and routes them from the first service subscription on', async () => {
    const h = await start()
    const gw = await client(h, 'GW-A')
    const svc = await client(h, 'SVC-dashboard', 'service')
    // A command-answer subscription (as the hub's command channel has) cannot match data, and a
    // refused one receives nothing.
    expect(await subscribe(svc, ['gangwan/v1/+/d/+/cmd/ack'])).toEqual([1])
    expect(await subscribe(gw, ['gangwan/v1/#'])).toEqual([0x80])
    const seen: string[] = []
    svc.on('message', (topic) => seen.push(topic))

    await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    await gw.publishAsync(topics.gatewayHeartbeat('GW-A'), '{"seq":1}', { qos: 1 })
    await gw.publishAsync(topics.deviceCommandAck('GW-A', 'S1'), '{"id":"c1"}', { qos: 1 })
    await eventually(() => seen.length === 1, 5000, 'the command answer')
    await eventually(async () => await h.metric('gangwan_broker_unrouted_messages_total') === 2, 5000, 'two unrouted messages counted')

    expect(await subscribe(svc, ['gangwan/v1/+/d/+/telemetry'])).toEqual([1])
    await gw.publishAsync(topics.telemetry('GW-A', 'S1'), '{"seq":2}', { qos: 1 })
    await eventually(() => seen.length === 2, 5000, 'telemetry once a service subscribed')
    expect(seen).toEqual([topics.deviceCommandAck('GW-A', 'S1'), topics.telemetry('GW-A', 'S1')])
    expect(await h.metric('gangwan_broker_unrouted_messages_total')).toBe(2)
    // Every message reached the ingest sink either way.
    expect(h.sink.messages.map((m) => m.topic)).toEqual([topics.telemetry('GW-A', 'S1'), topics.gatewayHeartbeat('GW-A'), topics.deviceCommandAck('GW-A', 'S1'), topics.telemetry('GW-A', 'S1')])
  })

  it('closes a service that publishes anything but a command', async () => {
    const h = await start()
    const svc = await client(h, 'SVC-dashboard', 'service')
    svc.publish(topics.telemetry('GW-A', 'S1'), '{"seq":1}', { qos: 1 })
    await closedByBroker(svc)
    expect(h.sink.messages).toHaveLength(0)
    expect(await h.refusals('publish_denied')).toBe(1)
  })
})
