import mqtt, { type MqttClient } from 'mqtt'
import { topics } from '@gangwan/contracts'

/**
 * A device on a gateway's LAN: its own MQTT client (client id = device id) publishing telemetry
 * `make(seq, ts)` for seq 0..count-1 at QoS 1, one message every 1/ratePerS s, reconnecting on its
 * own (mqtt.js keeps unacknowledged QoS 1 messages and sends them again after reconnecting).
 * Records the sequence numbers and times the gateway acknowledged: what a device may forget.
 */
export interface LocalDevice {
  readonly device: string
  /** seq → ts of every acknowledged message. */
  readonly acked: Map<number, number>
  readonly client: MqttClient
  readonly done: Promise<void>
  ackedAtLeast: (n: number) => Promise<void>
  stop: () => void
}

export function startLocalDevice (opts: { port: number, gateway: string, device: string, count: number, ratePerS: number, make: (seq: number, ts: number) => object, window?: number }): LocalDevice {
  const client = mqtt.connect({ host: '127.0.0.1', port: opts.port, protocolVersion: 4, clientId: opts.device, reconnectPeriod: 100, connectTimeout: 5000, clean: true })
  client.on('error', () => { /* reconnects on its own */ })
  const acked = new Map<number, number>()
  const waiters: Array<{ n: number, resolve: () => void }> = []
  const topic = topics.telemetry(opts.gateway, opts.device)
  const window = opts.window ?? 5
  const gapMs = 1000 / opts.ratePerS
  let next = 0
  let inFlight = 0
  let stopped = false
  let lastSent = 0
  let timer: NodeJS.Timeout | undefined
  let resolveDone!: () => void
  const done = new Promise<void>((resolve) => { resolveDone = resolve })

  function pump (): void {
    timer = undefined
    while (!stopped && inFlight < window && next < opts.count) {
      const wait = lastSent + gapMs - Date.now()
      if (wait > 0) { timer ??= setTimeout(pump, wait); return }
      lastSent = Date.now()
      const seq = next++
      const ts = lastSent
      inFlight++
      client.publish(topic, JSON.stringify(opts.make(seq, ts)), { qos: 1 }, (err) => {
        inFlight--
        if (err === undefined || err === null) {
          acked.set(seq, ts)
          for (const w of waiters.filter((x) => acked.size >= x.n)) { waiters.splice(waiters.indexOf(w), 1); w.resolve() }
          if (acked.size === opts.count) resolveDone()
        }
        pump()
      })
    }
  }
  pump()
  return {
    device: opts.device,
    acked,
    client,
    done,
    ackedAtLeast: async (n) => { if (acked.size >= n) return; await new Promise<void>((resolve) => waiters.push({ n, resolve })) },
    stop: () => { stopped = true; if (timer !== undefined) clearTimeout(timer); client.end(true) }
  }
}
