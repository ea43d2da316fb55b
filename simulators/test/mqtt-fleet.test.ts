import mqtt from 'mqtt'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMqttFleet } from '../src/runner/mqtt-fleet.ts'
import { startMosquitto, type Mosquitto } from '../../test-support/mosquitto.ts'

const log = pino({ level: 'silent' })

describe('the MQTT fleet against a real Mosquitto', () => {
  let broker: Mosquitto
  beforeAll(async () => { broker = await startMosquitto(['allow_anonymous true', 'max_inflight_messages 0', 'max_queued_messages 0']) })
  afterAll(async () => { await broker?.stop() })

  it('stop() sends what waits in the backlogs before it closes, so nothing queued is lost at exit', async () => {
    const got: number[] = []
    const sub = await mqtt.connectAsync(broker.url, { clientId: 'fleet-test-sub', protocolVersion: 4 })
    await sub.subscribeAsync('gw/#', { qos: 1 })
    sub.on('message', (_t, payload) => { got.push(Number(payload.toString())) })

    // One publish in flight per client: almost everything below waits in a backlog.
    const fleet = createMqttFleet({ url: broker.url, clients: [{ id: 'gw-a' }, { id: 'gw-b' }], qos: 1, log, simNow: Date.now, maxInflightPerClient: 1 })
    fleet.start()
    expect(await fleet.connected(10_000)).toBe(2)
    const n = 2_000
    for (let i = 0; i < n; i++) fleet.publish(i % 2 === 0 ? 'gw-a' : 'gw-b', `gw/${i % 2 === 0 ? 'a' : 'b'}/data`, String(i), 'test')
    expect(fleet.stats().backlog).toBeGreaterThan(n / 2)

    await fleet.stop({ drainMs: 60_000 })
    const st = fleet.stats()
    expect(st.backlog).toBe(0)
    expect(st.dropped).toBe(0)
    expect(st.sent).toBe(n)
    expect(st.acked).toBe(n)
    const deadline = Date.now() + 10_000
    while (got.length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    await sub.endAsync()
    expect(new Set(got).size).toBe(n)
  })
})
