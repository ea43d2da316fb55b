// Child process of bench/edge.ts (forked, IPC): the hub's side. Subscribes at QoS 1 to everything
// under gangwan/v1/ on the upstream Mosquitto and counts what arrives: telemetry per second of
// arrival, distinct (topic, seq), and for live devices (ids starting `L-`) receive time − reading ts.
import mqtt from 'mqtt'

const port = Number(process.argv[2])
const send = (m: unknown): void => { process.send!(m) }

let received = 0
const distinct = new Set<string>()
/** Second of arrival (Unix s) → telemetry messages received in it. */
const perSecond = new Map<number, number>()
/** [reading ts, latency ms, lane (0 life safety, 1 normal), alarm 0/1] of every live reading. */
const live: Array<[number, number, number, number]> = []
const heartbeats: unknown[] = []

const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 4, clientId: 'bench-upstream', clean: true, reconnectPeriod: 500 })
client.on('error', () => { /* reconnects on its own */ })
client.on('message', (topic, payload) => {
  const now = Date.now()
  if (topic.endsWith('/heartbeat') && !topic.includes('/d/')) { heartbeats.push({ at: now, ...JSON.parse(payload.toString()) as object }); return }
  if (!topic.endsWith('/telemetry')) return
  received++
  const s = Math.floor(now / 1000)
  perSecond.set(s, (perSecond.get(s) ?? 0) + 1)
  const m = JSON.parse(payload.toString()) as { seq: number, ts: number, kind: string, alarm?: boolean }
  distinct.add(`${topic} ${m.seq}`)
  if (topic.includes('/d/L-')) live.push([m.ts, now - m.ts, m.kind === 'fire' || m.kind === 'elevator' ? 0 : 1, m.alarm === true ? 1 : 0])
})
client.once('connect', () => {
  client.subscribe('gangwan/v1/#', { qos: 1 }, () => { send({ type: 'ready' }) })
})
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') send({ type: 'count', received, distinct: distinct.size })
  if (m.cmd === 'report') send({ type: 'report', received, distinct: distinct.size, perSecond: [...perSecond], live, heartbeats })
})
process.on('disconnect', () => { client.end(true); process.exit(0) })
