// Child process of bench/edge.ts (forked, IPC). Two modes:
// - live: one MQTT client per device on the agent's local listener, each publishing one QoS 1
//   reading every `intervalS` seconds (phases spread evenly), recording publish → PUBACK latency;
//   on request a fire detector sends an alarm out of schedule.
// - backlog: a few clients publish `count` readings of other device ids as fast as the agent
//   acknowledges them (a window per client): the readings an hour's outage would have spooled.
import mqtt, { type MqttClient } from 'mqtt'
import { TelemetrySchema, topics, type Telemetry } from '@gangwan/contracts'

export interface DevicesArgs {
  mode: 'live' | 'backlog'
  port: number
  gateway: string
  /** Devices (live: one client each; backlog: device ids the readings are spread over). */
  devices: number
  intervalS: number
  /** backlog: readings to publish, clients and unacknowledged messages per client. */
  count?: number
  clients?: number
  window?: number
}

type Kind = 'fire' | 'elevator' | 'fume' | 'noise'
/** The mix behind one gateway: mostly smoke detectors, then noise meters, lifts and fume monitors. */
function kindOf (i: number, n: number): Kind {
  const f = i / n
  return f < 0.6 ? 'fire' : f < 0.7 ? 'elevator' : f < 0.8 ? 'fume' : 'noise'
}

/** A valid reading of each kind (contracts/src/kinds/*.ts); fire and elevator go in the life-safety lane. */
function reading (kind: Kind, seq: number, ts: number, alarm = false): Telemetry {
  switch (kind) {
    case 'fire': return { kind, seq, ts, smokeDbM: alarm ? 0.4 : 0.02, temperatureC: 24.5, alarm, fault: false, tamper: false, batteryPct: 87 }
    case 'elevator': return { kind, seq, ts, floor: 1 + (seq % 30), direction: 'up', speedMps: 1.75, door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: [] }
    case 'fume': return { kind, seq, ts, fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: true }
    case 'noise': return { kind, seq, ts, intervalS: 60, leq: 52.3, lmax: 61, lmin: 44.2, l10: 55.1, l50: 51, l90: 46.3, valid: true }
  }
}

const args = JSON.parse(process.argv[2]!) as DevicesArgs
const send = (m: unknown): void => { process.send!(m) }
for (const k of ['fire', 'elevator', 'fume', 'noise'] as const) TelemetrySchema.parse(reading(k, 0, Date.now(), k === 'fire'))

async function connect (clientId: string): Promise<MqttClient> {
  const c = mqtt.connect({ host: '127.0.0.1', port: args.port, protocolVersion: 4, clientId, clean: true, reconnectPeriod: 500, connectTimeout: 10_000, keepalive: 60 })
  c.on('error', () => { /* reconnects on its own */ })
  await new Promise<void>((resolve) => c.once('connect', () => resolve()))
  return c
}

const clients: MqttClient[] = []
/** [publishedAt, PUBACK latency ms, lane (0 life safety, 1 normal)] of every live reading. */
const acks: Array<[number, number, number]> = []
let failed = 0

async function live (): Promise<void> {
  const ids = Array.from({ length: args.devices }, (_, i) => ({ id: `L-${kindOf(i, args.devices).toUpperCase()}-${String(i).padStart(4, '0')}`, kind: kindOf(i, args.devices), seq: 0 }))
  for (let i = 0; i < ids.length; i += 50) clients.push(...await Promise.all(ids.slice(i, i + 50).map(async (d) => await connect(d.id))))
  const publish = (i: number, alarm: boolean): void => {
    const d = ids[i]!
    const at = Date.now()
    const lane = d.kind === 'fire' || d.kind === 'elevator' ? 0 : 1
    clients[i]!.publish(topics.telemetry(args.gateway, d.id), JSON.stringify(reading(d.kind, d.seq++, at, alarm)), { qos: 1 }, (err) => {
      if (err !== undefined && err !== null) failed++
      else acks.push([at, Date.now() - at, lane])
    })
  }
  const periodMs = args.intervalS * 1000
  ids.forEach((_, i) => {
    setTimeout(() => { publish(i, false); setInterval(() => { publish(i, false) }, periodMs) }, (i / ids.length) * periodMs)
  })
  let nextAlarm = 0
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'alarm') { publish(nextAlarm, true); nextAlarm = (nextAlarm + 7) % Math.ceil(ids.length * 0.6) }
    if (m.cmd === 'report') send({ type: 'report', acks, failed })
  })
  send({ type: 'ready' })
}

async function backlog (): Promise<void> {
  const count = args.count!
  const n = args.clients ?? 10
  const window = args.window ?? 100
  for (let i = 0; i < n; i++) clients.push(await connect(`BK-${i}`))
  send({ type: 'ready' })
  await new Promise<void>((resolve) => process.once('message', () => resolve()))
  const startedAt = Date.now()
  // The readings an outage of count / rate seconds would have spooled, with their measurement times.
  const rate = args.devices / args.intervalS
  let next = 0
  let acked = 0
  await new Promise<void>((resolve) => {
    const pump = (c: MqttClient): void => {
      if (next >= count) return
      const i = next++
      const dev = i % args.devices
      const kind = kindOf(dev, args.devices)
      const payload = JSON.stringify(reading(kind, Math.floor(i / args.devices), startedAt - (count - i) / rate * 1000))
      c.publish(topics.telemetry(args.gateway, `B-${kind.toUpperCase()}-${String(dev).padStart(4, '0')}`), payload, { qos: 1 }, (err) => {
        if (err !== undefined && err !== null) failed++
        else acked++
        if (acked + failed === count) resolve()
        else pump(c)
      })
    }
    for (const c of clients) for (let w = 0; w < window; w++) pump(c)
  })
  send({ type: 'done', acked, failed, seconds: (Date.now() - startedAt) / 1000 })
}

process.on('disconnect', () => { for (const c of clients) c.end(true); process.exit(0) })
await (args.mode === 'live' ? live() : backlog())
