import mqtt, { type MqttClient } from 'mqtt'
import { topics } from '@gangwan/contracts'

/**
 * A device-like publisher for durability tests: one gateway client publishing fire telemetry for one
 * device with seq 0..count-1 at QoS 1, at most `window` unacknowledged at a time, reconnecting on its
 * own (mqtt.js keeps unacknowledged QoS 1 messages and sends them again after reconnecting).
 * Records exactly which sequence numbers the device saw acknowledged.
 */
export interface SequencePublisher {
  readonly acked: Set<number>
  readonly client: MqttClient
  /** Resolves when every message was acknowledged. */
  readonly done: Promise<void>
  /** Resolves once at least `n` messages have been acknowledged. */
  ackedAtLeast: (n: number) => Promise<void>
  stop: () => void
}

export function startSequencePublisher (opts: { port: number; gateway: string; device: string; secret: string; count: number; window?: number; ratePerS?: number }): SequencePublisher {
  const client = mqtt.connect({
    host: '127.0.0.1', port: opts.port, protocolVersion: 4, clientId: opts.gateway, username: opts.gateway,
    password: opts.secret, reconnectPeriod: 200, connectTimeout: 5000, clean: true
  })
  client.on('error', () => { /* reconnects on its own */ })
  const acked = new Set<number>()
  const waiters: { n: number; resolve: () => void }[] = []
  const topic = topics.telemetry(opts.gateway, opts.device)
  const window = opts.window ?? 50
  let next = 0
  let inFlight = 0
  let stopped = false
  let resolveDone!: () => void
  const done = new Promise<void>((resolve) => { resolveDone = resolve })
  const minGapMs = opts.ratePerS ? 1000 / opts.ratePerS : 0
  let lastSent = 0

  function pump (): void {
    while (!stopped && inFlight < window && next < opts.count) {
      if (minGapMs > 0) {
        const wait = lastSent + minGapMs - Date.now()
        if (wait > 0) { setTimeout(pump, wait); return }
        lastSent = Date.now()
      }
      const seq = next++
      inFlight++
      const msg = { kind: 'fire', seq, ts: Date.now(), smokeDbM: 0.01, temperatureC: 22, alarm: false, fault: false, tamper: false, batteryPct: 90 }
      client.publish(topic, JSON.stringify(msg), { qos: 1 }, (err) => {
        inFlight--
        if (!err) {
          acked.add(seq)
          for (const w of waiters.filter((x) => acked.size >= x.n)) { waiters.splice(waiters.indexOf(w), 1); w.resolve() }
          if (acked.size === opts.count) resolveDone()
        }
        pump()
      })
    }
  }
  pump()
  return {
    acked,
    client,
    done,
    ackedAtLeast: async (n) => { if (acked.size >= n) return; await new Promise<void>((resolve) => waiters.push({ n, resolve })) },
    stop: () => { stopped = true; client.end(true) }
  }
}
