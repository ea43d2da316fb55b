// Subscriber process for the Mosquitto peer run: one QoS 1 subscriber to everything, counting
// distinct (topic, seq) and the latency from the payload's publish time `ts` to receipt.
// Prints {"ready":true} once subscribed; on SIGTERM prints its results as one JSON line.
import mqtt from 'mqtt'

const port = Number(process.argv[2])
const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 4, clientId: 'bench-sub', clean: true, reconnectPeriod: 0 })
const latencies: number[] = []
const seen = new Set<string>()
let received = 0
let firstAt = 0
let lastAt = 0
client.on('message', (topic, payload) => {
  const now = Date.now()
  received++
  if (firstAt === 0) firstAt = now
  lastAt = now
  const m = /"seq":(\d+),"ts":(\d+)/.exec(payload.toString())
  if (m) {
    seen.add(`${topic}#${m[1]}`)
    latencies.push(now - Number(m[2]))
  }
})
client.on('connect', () => {
  client.subscribe('#', { qos: 1 }, () => { process.stdout.write('{"ready":true}\n') })
})
process.on('SIGTERM', () => {
  latencies.sort((a, b) => a - b)
  const q = (p: number): number => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! : Number.NaN
  process.stdout.write(JSON.stringify({ received, distinct: seen.size, firstAt, lastAt, p50Ms: q(0.5), p99Ms: q(0.99) }) + '\n')
  process.exit(0)
})
