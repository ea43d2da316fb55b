// Load generator process for the ingest benchmark: MQTT clients publishing fire telemetry at QoS 1
// as fast as the broker acknowledges, at most `window` unacknowledged messages per client.
// Input: the path of a JSON file (see Args); output: one JSON line on stdout when done.
import { readFileSync } from 'node:fs'
import mqtt, { type MqttClient } from 'mqtt'
import { topics } from '@gangwan/contracts'

interface Args {
  port: number
  clients: { id: string; secret: string; devices: string[] }[]
  durationS: number
  window: number
}
const args = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Args

async function connect (c: Args['clients'][number]): Promise<MqttClient> {
  const client = mqtt.connect({ host: '127.0.0.1', port: args.port, protocolVersion: 4, clientId: c.id, username: c.id, password: c.secret, reconnectPeriod: 0, clean: true })
  await new Promise<void>((resolve, reject) => { client.once('connect', () => { resolve() }); client.once('error', reject) })
  return client
}

const clients = await Promise.all(args.clients.map(connect))
let sent = 0
let acked = 0
let failed = 0
let stop = false
const started = Date.now()
const stopAt = started + args.durationS * 1000
let lastAckAt = started

await Promise.all(clients.map(async (client, ci) => {
  const spec = args.clients[ci]!
  const seqs = new Map<string, number>()
  let inFlight = 0
  let d = 0
  let resolveDone!: () => void
  const done = new Promise<void>((resolve) => { resolveDone = resolve })
  const pump = (): void => {
    while (!stop && inFlight < args.window) {
      if (Date.now() >= stopAt) { stop = true; break }
      const device = spec.devices[d++ % spec.devices.length]!
      const seq = seqs.get(device) ?? 0
      seqs.set(device, seq + 1)
      const payload = `{"kind":"fire","seq":${seq},"ts":${Date.now()},"smokeDbM":0.012,"temperatureC":22.5,"alarm":false,"fault":false,"tamper":false,"batteryPct":91}`
      inFlight++
      sent++
      client.publish(topics.telemetry(spec.id, device), payload, { qos: 1 }, (err) => {
        inFlight--
        if (err) failed++
        else { acked++; lastAckAt = Date.now() }
        if (inFlight === 0 && stop) resolveDone()
        else pump()
      })
    }
    if (stop && inFlight === 0) resolveDone()
  }
  pump()
  await done
}))
for (const c of clients) c.end(true)
process.stdout.write(JSON.stringify({ sent, acked, failed, startedAt: started, lastAckAt }) + '\n')
process.exit(0)
