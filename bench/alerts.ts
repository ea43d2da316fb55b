// npm run bench:alerts [-- --duration 60 --incidents-per-s 2 --warmup 20]
// The full Huaguoyuan community (311 buildings, ~14,500 devices) runs at real-time rates against
// the hub, while this bench injects fire alarms from its own gateway and measures, for each alert,
// the time from publishing the triggering message to the alert being durable in the dispatch queue,
// plus the hub's CPU. The last line printed is one JSON object.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { CommunitySchema, topics, type CommunityInput, type FireTelemetry } from '@gangwan/contracts'
import { createAlertQueue } from '@gangwan/dispatch'
import { FULL_PRESET, generateCommunity } from '@gangwan/simulators'
import { startHubProcess } from '../test-support/hub-process.ts'
import { connectClient } from '../test-support/mqtt-client.ts'
import { metricValue } from '../test-support/metrics-text.ts'
import { runNode } from './lib/child.ts'

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '60' },
  'incidents-per-s': { type: 'string', default: '2' },
  warmup: { type: 'string', default: '20' }
} })
const durationS = Number(values.duration)
const perS = Number(values['incidents-per-s'])
const warmupS = Number(values.warmup)
const say = (msg: string): void => { process.stderr.write(`[bench:alerts] ${msg}\n`) }
const SIMULATOR = new URL('../simulators/src/main.ts', import.meta.url).pathname
const TICKS_PER_S = 100

/** The full community for the simulator, and the same plus the bench's own gateway for the hub. */
function communities (zones: number): { sim: CommunityInput, hub: CommunityInput, pairs: [string, string][] } {
  const sim = generateCommunity({ ...FULL_PRESET, seed: 1 })
  const building = sim.buildings[0]!
  const pairs: [string, string][] = []
  const devices = []
  for (let z = 0; z < zones; z++) {
    const floor = 1 + (z % building.floors)
    const zone = `BENCH-Z${z}`
    const ids: [string, string] = [`BENCH-${z}-A`, `BENCH-${z}-B`]
    pairs.push(ids)
    for (const id of ids) devices.push({ id, kind: 'fire' as const, gateway: 'GW-BENCH', building: building.id, detector: 'smoke' as const, floor, zone })
  }
  const hub = { ...sim, gateways: [...(sim.gateways ?? []), { id: 'GW-BENCH', building: building.id }], devices: [...sim.devices, ...devices] }
  return { sim, hub, pairs }
}

/** CPU seconds (user + system) a process has used so far. */
async function cpuSeconds (pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_S
}

function quantile (xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

const dir = await mkdtemp(join(tmpdir(), 'gangwan-bench-alerts-'))
const incidents = Math.max(1, Math.round(durationS * perS))
const { sim, hub: hubCommunity, pairs } = communities(Math.ceil(incidents / 2))
CommunitySchema.parse(hubCommunity)
await writeFile(join(dir, 'sim.json'), JSON.stringify(sim))
await writeFile(join(dir, 'hub.json'), JSON.stringify(hubCommunity))
say(`community: ${sim.devices.length} devices, ${sim.gateways?.length ?? 0} gateways; bench: ${pairs.length * 2} detectors`)

const hub = await startHubProcess({
  GANGWAN_DATA_DIR: join(dir, 'hub'), GANGWAN_COMMUNITY: join(dir, 'hub.json'), GANGWAN_MQTT_HOST: '127.0.0.1',
  GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0', GANGWAN_LOG_LEVEL: 'warn'
}, 600_000)
let simulator: ReturnType<typeof runNode> | undefined
try {
  const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
  simulator = runNode(SIMULATOR, ['run', '--community', join(dir, 'sim.json'), '--url', `mqtt://127.0.0.1:${hub.info.mqttPort}`,
    '--credentials', hub.info.credentialsFile, '--speed', '1', '--seed', '1', '--no-progress'])
  // Every client authenticates once (scrypt): wait until all are in, then let the load settle.
  const clients = (sim.gateways?.length ?? 0) + sim.devices.filter((d) => d.gateway === undefined).length
  for (let connected = 0; connected < clients;) {
    await sleep(1000)
    connected = ((await (await fetch(hub.info.httpUrl + '/healthz')).json()) as { mqttClients: number }).mqttClients
  }
  say(`hub pid ${hub.child.pid}: ${clients} simulator clients connected, real-time rates; warming up ${warmupS} s`)
  await sleep(warmupS * 1000)

  const gw = await connectClient(hub.info.mqttPort, 'GW-BENCH', secrets['GW-BENCH']!, { connectTimeout: 60_000 })
  // Every bench message has its own ts (ms), so an alert's trigger window end names the message
  // that raised it; its publish time is taken on the same clock the queue stamps changes with.
  const publishedAt = new Map<number, number>()
  let seq = 1
  let lastTs = 0
  const send = async (device: string, smokeDbM: number): Promise<void> => {
    const ts = lastTs = Math.max(Date.now(), lastTs + 1)
    const msg: FireTelemetry = { kind: 'fire', seq: seq++, ts, smokeDbM, temperatureC: 22, alarm: smokeDbM >= 0.05, fault: false, tamper: false, batteryPct: 90 }
    publishedAt.set(ts, Date.now())
    await gw.publishAsync(topics.telemetry('GW-BENCH', device), JSON.stringify(msg), { qos: 1 })
  }
  for (const [a, b] of pairs) { await send(a, 0.01); await send(b, 0.01) }

  const metrics0 = await (await fetch(hub.info.metricsUrl)).text()
  const cpu0 = await cpuSeconds(hub.child.pid!)
  const t0 = performance.now()
  // One alarm every 1/perS seconds: zone k's first detector (a pre-alarm), then its second (a confirmed fire).
  for (let i = 0; i < incidents; i++) {
    const [a, b] = pairs[Math.floor(i / 2)]!
    void send(i % 2 === 0 ? a : b, 0.3)
    const next = t0 + ((i + 1) * 1000) / perS
    await sleep(Math.max(0, next - performance.now()))
  }
  const wallS = (performance.now() - t0) / 1000
  const cpu1 = await cpuSeconds(hub.child.pid!)
  const metrics1 = await (await fetch(hub.info.metricsUrl)).text()
  await sleep(3000)
  gw.end(true)

  const queue = createAlertQueue({ path: hub.info.dispatchDb, log: pino({ level: 'silent' }) })
  const latencies: number[] = []
  let after = 0
  for (;;) {
    const changes = await queue.changesSince(after, 1000)
    if (changes.length === 0) break
    after = changes[changes.length - 1]!.id
    for (const c of changes) {
      if (c.alert.version !== 1 || !c.alert.subject.includes('BENCH')) continue
      const sent = publishedAt.get(c.alert.trigger.window.toMs)
      if (sent !== undefined) latencies.push(c.at - sent)
    }
  }
  await queue.close()
  const total = (text: string): number => ['fire', 'elevator', 'fume', 'noise', 'falling_object', 'status', 'heartbeat']
    .reduce((s, k) => s + (metricValue(text, 'gangwan_ingest_messages_total', `kind="${k}"`) ?? 0), 0)
  const result = {
    benchmark: 'alerts',
    community: { devices: sim.devices.length, gateways: sim.gateways?.length ?? 0, speed: 1 },
    durationS: Math.round(wallS),
    incidents,
    alertsMeasured: latencies.length,
    ingestMsgsPerS: Math.round((total(metrics1) - total(metrics0)) / wallS),
    latencyMs: latencies.length > 0 ? { p50: Math.round(quantile(latencies, 0.5) * 10) / 10, p99: Math.round(quantile(latencies, 0.99) * 10) / 10, max: Math.round(Math.max(...latencies) * 10) / 10 } : null,
    hubCpuPct: Math.round(((cpu1 - cpu0) / wallS) * 1000) / 10,
    targetP99Ms: 100
  }
  say(`${result.alertsMeasured} alerts from ${incidents} injected alarms; p50 ${result.latencyMs?.p50} ms, p99 ${result.latencyMs?.p99} ms; hub CPU ${result.hubCpuPct} % of one core at ${result.ingestMsgsPerS} msg/s`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  simulator?.child.kill('SIGINT')
  await simulator?.exited
  await hub.stop()
  await rm(dir, { recursive: true, force: true })
}
