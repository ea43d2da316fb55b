// npm run bench:edge [-- --devices 500 --interval 10 --steady 60 --outage-s 3600]
// One edge agent process (the bundle, as a gateway runs it) with 500 LAN devices, each its own
// MQTT client, relaying to a real Mosquitto through a TCP link that is cut and restored. Measures
// the agent's RSS and CPU at steady state, then an hour's outage backlog and its replay: rate,
// the slowest 5 s, live readings and a live fire alarm during replay, RSS throughout. The last line
// printed is one JSON object. Method and results: docs/benchmarks.md, "Edge agent".
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { EDGE_ENV, EDGE_NODE_FLAGS } from '../edge-agent/src/node-flags.ts'
import { startEdgeProcess } from '../test-support/edge-process.ts'
import { metricValue } from '../test-support/metrics-text.ts'
import { startMosquitto } from '../test-support/mosquitto.ts'
import { startTcpProxy } from '../test-support/tcp-proxy.ts'
import { forkEdgeChild, type EdgeChild } from './edge-child.ts'
import type { DevicesArgs } from './edge-devices.ts'
import { createProcSampler } from './edge-proc-sampler.ts'
import { summarise, type Phases, type ProbeSample } from './edge-summary.ts'

const { values } = parseArgs({ options: {
  devices: { type: 'string', default: '500' },
  interval: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '20' },
  steady: { type: 'string', default: '60' },
  'outage-s': { type: 'string', default: '3600' },
  // Extra node flags for the agent (NODE_OPTIONS); startEdgeProcess already passes the agent's own
  // V8 flags (edge-agent/src/node-flags.ts), as its bin and the systemd unit do.
  'node-options': { type: 'string', default: '' },
  sync: { type: 'string', default: 'full' },
  // The agent's uplink window (its config's default is 5000).
  'max-inflight': { type: 'string', default: '5000' },
  // Extra environment of the agent (comma-separated K=V); startEdgeProcess already passes the
  // agent's own (EDGE_ENV in edge-agent/src/node-flags.ts), as its bin and the systemd unit do.
  'agent-env': { type: 'string', default: '' },
  // Load bench/edge-memory-probe.mjs into the agent: V8 heap and external memory every second.
  probe: { type: 'boolean', default: false }
} })
const devices = Number(values.devices)
const intervalS = Number(values.interval)
const backlogCount = Math.round(devices / intervalS * Number(values['outage-s']))
const GW = 'GW-BENCH'
const log = (msg: string): void => { process.stderr.write(`[bench:edge] ${msg}\n`) }
const here = (f: string): string => new URL(f, import.meta.url).pathname

const dir = await mkdtemp(join(tmpdir(), 'gangwan-bench-edge-'))
const cleanup: Array<() => Promise<unknown>> = [async () => { await rm(dir, { recursive: true, force: true }) }]
try {
  // Upstream: Mosquitto with per-client queue limits lifted, so a slow subscriber loses nothing.
  const broker = await startMosquitto(['allow_anonymous true', 'max_queued_messages 0', 'max_queued_bytes 0', 'max_inflight_messages 0'])
  cleanup.push(broker.stop)
  const link = await startTcpProxy(broker.port)
  cleanup.push(link.close)
  const upstream = forkEdgeChild(here('./edge-upstream.ts'), [String(broker.port)])
  cleanup.push(upstream.close)
  await upstream.next('ready')

  const config = {
    gatewayId: GW,
    dataDir: join(dir, 'edge'),
    uplink: { url: `mqtt://127.0.0.1:${link.port}`, password: 'bench', reconnectMinMs: 200, reconnectMaxMs: 2000, maxInflight: Number(values['max-inflight']) },
    local: { mqtt: { host: '127.0.0.1', port: 0 } },
    spool: { sync: values.sync },
    settings: { heartbeatIntervalS: 10 },
    http: { port: 0 },
    logLevel: 'warn'
  }
  // startEdgeProcess passes this process's environment on: set the agent's for the spawn only.
  const probeFile = join(dir, 'memory.jsonl')
  const agentEnv: Record<string, string> = {
    NODE_OPTIONS: [values['node-options'], values.probe === true ? `--import=${here('./edge-memory-probe.mjs')}` : ''].join(' ').trim(),
    ...(values.probe === true ? { GANGWAN_BENCH_PROBE_FILE: probeFile } : {}),
    ...Object.fromEntries(values['agent-env']!.split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  }
  const saved = Object.fromEntries(Object.keys(agentEnv).map((k) => [k, process.env[k]]))
  Object.assign(process.env, agentEnv)
  const starting = startEdgeProcess(join(dir, 'edge.json'), config)
  for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v }
  const agent = await starting
  cleanup.push(agent.kill)
  const pid = agent.child.pid!
  const sampler = createProcSampler(pid)
  cleanup.push(async () => { sampler.stop() })
  const metrics = async (): Promise<string> => await (await fetch(`http://127.0.0.1:${agent.ready.httpPort}/metrics`)).text()
  const metric = (text: string, name: string): number => metricValue(text, name) ?? Number.NaN
  log(`agent pid ${pid}, env ${JSON.stringify(agentEnv)}, local MQTT ${agent.ready.localMqttPort}; ${devices} devices, one reading each per ${intervalS} s (${devices / intervalS}/s)`)

  const childArgs = (a: Omit<DevicesArgs, 'port' | 'gateway'>): string => JSON.stringify({ port: agent.ready.localMqttPort, gateway: GW, ...a })
  const live: EdgeChild = forkEdgeChild(here('./edge-devices.ts'), [childArgs({ mode: 'live', devices, intervalS })])
  cleanup.push(live.close)
  await live.next('ready')
  const phases = { connectedAt: Date.now() } as Phases
  log(`${devices} devices connected; warm-up ${values.warmup} s`)
  await sleep(Number(values.warmup) * 1000)

  phases.steady = [Date.now(), Date.now() + Number(values.steady) * 1000]
  log(`steady state: sampling for ${values.steady} s`)
  for (let i = 1; i <= 3; i++) { await sleep(Number(values.steady) * 1000 / 4); live.tell('alarm') }
  // Two more seconds before the cut, so the last steady readings are delivered before it.
  await sleep(Math.max(0, phases.steady[1] - Date.now()) + 2000)

  // Outage: the link is cut; the devices go on; an hour's worth of readings arrives in a burst.
  link.cut()
  const cutAt = Date.now()
  const backlog = forkEdgeChild(here('./edge-devices.ts'), [childArgs({ mode: 'backlog', devices, intervalS, count: backlogCount, clients: 10, window: 100 })])
  cleanup.push(backlog.close)
  await backlog.next('ready')
  backlog.tell('start')
  const burst = await backlog.next<{ acked: number, failed: number, seconds: number }>('done', 900_000)
  await backlog.close()
  log(`outage: ${burst.acked} backlog readings spooled in ${burst.seconds.toFixed(1)} s (${Math.round(burst.acked / burst.seconds)}/s), ${burst.failed} failed`)
  await sleep(5000)
  const before = await metrics()
  const restoreAt = Date.now()
  phases.outage = [cutAt, restoreAt]
  const depthAtRestore = metric(before, 'gangwan_edge_spool_depth')
  log(`spool depth ${depthAtRestore} (life safety ${metric(before, 'gangwan_edge_spool_life_safety_depth')}), ${metric(before, 'gangwan_edge_spool_bytes')} bytes; restoring the link`)

  // Replay: poll the agent's counters every 250 ms; a live fire alarm every 2 s until drained.
  link.restore()
  const polls: Array<{ at: number, acked: number, depth: number }> = [{ at: restoreAt, acked: metric(before, 'gangwan_edge_uplink_acked_total'), depth: depthAtRestore }]
  for (let t = 0; ; t++) {
    if (t % 8 === 0) live.tell('alarm')
    await sleep(250)
    const text = await metrics()
    polls.push({ at: Date.now(), acked: metric(text, 'gangwan_edge_uplink_acked_total'), depth: metric(text, 'gangwan_edge_spool_depth') })
    if (polls.at(-1)!.depth <= 20 || Date.now() - restoreAt > 900_000) break
  }
  phases.replay = [restoreAt, polls.at(-1)!.at]
  log(`replay done in ${((phases.replay[1] - restoreAt) / 1000).toFixed(1)} s; 10 s of steady state after it`)
  await sleep(10_000)

  // Every reading a device was acknowledged for must reach the subscriber.
  const liveReport = await live.ask<{ acks: Array<[number, number, number]>, failed: number }>('report', 'report')
  const expected = liveReport.acks.length + burst.acked
  let got = await upstream.ask<{ distinct: number }>('count', 'count')
  for (let i = 0; i < 60 && got.distinct < expected; i++) { await sleep(500); got = await upstream.ask('count', 'count') }
  const up = await upstream.ask<{ perSecond: Array<[number, number]>, live: Array<[number, number, number, number]>, distinct: number, heartbeats: Array<{ memMb: number, cpuPct: number }> }>('report', 'report')
  sampler.stop()
  const finalStatus = sampler.samples.at(-1)!

  const result = summarise({
    devices, intervalS, outageS: Number(values['outage-s']), sync: values.sync!,
    phases, samples: sampler.samples, polls, depthAtRestore, burst, liveAcks: liveReport.acks, liveFailed: liveReport.failed,
    upstream: up, expected, peakRssMb: finalStatus.hwmMb,
    // What the agent ran with: its own flags and environment (as the bin gives them) and this run's additions.
    agentEnv: { ...agentEnv, ...EDGE_ENV }, agentNodeFlags: EDGE_NODE_FLAGS, maxInflight: Number(values['max-inflight']), probe: values.probe === true ? (await readFile(probeFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ProbeSample) : undefined
  })
  for (const line of result.lines) log(line)
  process.stdout.write(JSON.stringify(result.json) + '\n')
} finally {
  for (const c of cleanup.reverse()) await c().catch(() => {})
}
