// npm run bench:ingest [-- --duration 20 --gateways 20 --devices 50 --window 100]
// Sustained QoS 1 messages per second acknowledged AND stored in InfluxDB by the hub, with p50/p99
// publish->stored latency; and, in the same run, the same publisher load relayed by Mosquitto to one
// QoS 1 subscriber, as the peer. The last line printed is one JSON object with both and their ratio.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '@gangwan/ingest'
import { startHubProcess } from '../test-support/hub-process.ts'
import { influxQuery } from '../test-support/influx.ts'
import { metricValue } from '../test-support/metrics-text.ts'
import { benchCommunity } from './lib/bench-community.ts'
import { nextJson, runNode, waitForPort } from './lib/child.ts'

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '20' },
  gateways: { type: 'string', default: '20' },
  devices: { type: 'string', default: '50' },
  window: { type: 'string', default: '100' },
  sync: { type: 'string', default: 'full' },
  only: { type: 'string' },
  profile: { type: 'string' }
} })
const durationS = Number(values.duration)
const window = Number(values.window)
const PUBLISHER = new URL('./lib/load-publisher.ts', import.meta.url).pathname
const SUBSCRIBER = new URL('./lib/relay-subscriber.ts', import.meta.url).pathname
const log = (msg: string): void => { process.stderr.write(`[bench:ingest] ${msg}\n`) }

interface LoadResult { sent: number; acked: number; failed: number; startedAt: number; lastAckAt: number }
const community = benchCommunity(Number(values.gateways), Number(values.devices))
const dir = await mkdtemp(join(tmpdir(), 'gangwan-bench-'))

async function writeJson (name: string, value: unknown): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify(value))
  return file
}


async function runHub (): Promise<Record<string, number>> {
  const communityFile = join(dir, 'community.json')
  await writeFile(communityFile, JSON.stringify(community))
  const hub = await startHubProcess({
    GANGWAN_DATA_DIR: join(dir, 'hub'), GANGWAN_COMMUNITY: communityFile, GANGWAN_MQTT_HOST: '127.0.0.1',
    GANGWAN_MQTT_PORT: '0', GANGWAN_HTTP_PORT: '0', GANGWAN_LOG_LEVEL: 'warn', GANGWAN_JOURNAL_SYNC: values.sync!
  }, 600_000, values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [])
  try {
    const secrets = JSON.parse(await readFile(hub.info.credentialsFile, 'utf8')) as Record<string, string>
    const clients = community.gateways!.map((g) => ({ id: g.id, secret: secrets[g.id]!, devices: community.devices.filter((d) => d.gateway === g.id).map((d) => d.id) }))
    log(`hub: ${clients.length} gateway clients, ${community.devices.length} devices, ${durationS} s, window ${window}`)
    const pub = runNode(PUBLISHER, [await writeJson('load-hub.json', { port: hub.info.mqttPort, clients, durationS, window })])
    const load = await nextJson<LoadResult>(pub.lines)
    // wait until the journal is empty: everything acknowledged is confirmed by InfluxDB
    let text = ''
    for (;;) {
      text = await (await fetch(hub.info.metricsUrl)).text()
      if (metricValue(text, 'gangwan_ingest_buffer_depth') === 0) break
      await sleep(20)
    }
    const storedAt = Date.now()
    const [row] = await influxQuery(hub.info.influxUrl, hub.info.influxDb, 'SELECT count(seq) FROM fire')
    const stored = Number(row?.count ?? 0)
    return {
      sent: load.sent,
      acked: load.acked,
      stored,
      lost: Math.max(0, load.acked - stored),
      ackedPerS: Math.round(load.acked / ((load.lastAckAt - load.startedAt) / 1000)),
      msgsPerS: Math.round(Math.min(stored, load.acked) / ((storedAt - load.startedAt) / 1000)),
      p50Ms: Math.round((metricValue(text, 'gangwan_ingest_store_latency_seconds', 'quantile="0.5"') ?? Number.NaN) * 1000 * 10) / 10,
      p99Ms: Math.round((metricValue(text, 'gangwan_ingest_store_latency_seconds', 'quantile="0.99"') ?? Number.NaN) * 1000 * 10) / 10
    }
  } finally {
    await hub.stop()
  }
}

async function runMosquitto (): Promise<Record<string, number>> {
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  // per-client queue and in-flight limits lifted, no persistence: a pure relay
  await writeFile(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 0', 'persistence false', 'log_type error', ''].join('\n'))
  const broker = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' })
  try {
    await waitForPort(port)
    const sub = runNode(SUBSCRIBER, [String(port)])
    await nextJson(sub.lines)
    const clients = community.gateways!.map((g) => ({ id: g.id, secret: 'unused', devices: community.devices.filter((d) => d.gateway === g.id).map((d) => d.id) }))
    log(`mosquitto: same load on port ${port}`)
    const pub = runNode(PUBLISHER, [await writeJson('load-mosquitto.json', { port, clients, durationS, window })])
    const load = await nextJson<LoadResult>(pub.lines)
    // let the subscriber receive what Mosquitto still has queued for it
    await sleep(500)
    sub.child.kill('SIGTERM')
    const got = await nextJson<{ received: number; distinct: number; firstAt: number; lastAt: number; p50Ms: number; p99Ms: number }>(sub.lines)
    return {
      sent: load.sent,
      acked: load.acked,
      received: got.distinct,
      lost: Math.max(0, load.acked - got.distinct),
      ackedPerS: Math.round(load.acked / ((load.lastAckAt - load.startedAt) / 1000)),
      msgsPerS: Math.round(got.distinct / ((got.lastAt - load.startedAt) / 1000)),
      p50Ms: got.p50Ms,
      p99Ms: got.p99Ms
    }
  } finally {
    broker.kill('SIGTERM')
  }
}

try {
  const none = { msgsPerS: Number.NaN }
  const mosquitto = values.only === 'hub' ? none : await runMosquitto()
  if (values.only !== 'hub') log(`mosquitto: ${JSON.stringify(mosquitto)}`)
  const hub = values.only === 'mosquitto' ? none : await runHub()
  if (values.only !== 'mosquitto') log(`hub: ${JSON.stringify(hub)}`)
  const result = {
    benchmark: 'ingest',
    durationS,
    gateways: community.gateways!.length,
    devices: community.devices.length,
    windowPerClient: window,
    journalSync: values.sync,
    hub,
    mosquitto,
    ratio: Math.round((hub.msgsPerS! / mosquitto.msgsPerS!) * 100) / 100
  }
  process.stdout.write(JSON.stringify(result) + '\n')
} finally {
  await rm(dir, { recursive: true, force: true })
}
