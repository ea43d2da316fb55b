// The main job (`npm start`): the hub with the demo community, and the simulator driving it; one
// gateway's devices reach the hub through an edge agent (gangwan-edge), as on a real site.
// Prints where everything is, then every 15 s what InfluxDB holds per kind. Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { DEVICE_KINDS, GangwanError } from '@gangwan/contracts'
import { createHub, loadHubConfig, type HubInfo } from '@gangwan/hub'
import { freePort, queryInflux } from '@gangwan/ingest'
import { edgeCommand } from '../edge-agent/src/node-flags.ts'

const ROOT = new URL('..', import.meta.url).pathname
const SIMULATOR = join(ROOT, 'simulators/src/main.ts')
/** The edge agent's command (its bundle, which scripts/setup.sh builds). */
const EDGE = join(ROOT, 'edge-agent/bin/gangwan-edge.mjs')
/** The operator console's build, which the hub serves at `/` (scripts/setup.sh builds it). */
const CONSOLE_INDEX = join(ROOT, 'dashboard/console/dist/index.html')
const { values } = parseArgs({ options: {
  speed: { type: 'string', default: '60' },
  full: { type: 'boolean', default: false },
  'no-sim': { type: 'boolean', default: false },
  seed: { type: 'string', default: '1' },
  'falling-rate': { type: 'string', default: '40' },
  // The gateway run behind an edge agent: `first` (the community's first gateway), an id, or `none`.
  edge: { type: 'string', default: 'first' },
  // Gateways the simulator leaves out, for agents started by hand (edge-agent/README.md).
  'no-sim-gateway': { type: 'string', default: '' }
} })

const log = pino({ level: process.env.GANGWAN_LOG_LEVEL ?? 'warn', base: { service: 'hub' } })
const say = (line: string): void => { process.stdout.write(`${line}\n`) }

async function run (cmd: string[]): Promise<void> {
  const child = spawn(process.execPath, cmd, { stdio: 'inherit', cwd: ROOT })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`${cmd.join(' ')} exited with ${code}`)
}

async function influxCounts (info: HubInfo): Promise<string> {
  const counts = await Promise.all(DEVICE_KINDS.map(async (k) => {
    const [row] = await queryInflux(info.influxUrl, info.influxDb, `SELECT count(seq) FROM ${k}`)
    return `${k} ${Number(row?.count ?? 0)}`
  }))
  return counts.join(' · ')
}

/** Where the operator console is and how to log in: the demo's `operator` account from the hub's password file. */
async function consoleLines (info: HubInfo): Promise<string[]> {
  if (!existsSync(CONSOLE_INDEX)) {
    return [`  Console        not built: run npm run build:console -w dashboard, then open ${info.httpUrl}/ (no restart needed)`]
  }
  const passwords = JSON.parse(await readFile(info.operatorsFile, 'utf8')) as Record<string, string>
  const login = passwords.operator !== undefined
    ? `Log in as operator / ${passwords.operator} (other accounts in ${info.operatorsFile})`
    : `Log in with an account from ${info.operatorsFile}`
  return [`  Console        ${info.httpUrl}/`, `                 ${login}`]
}

interface EdgeRun { gateway: string, child: ChildProcess, sim?: ChildProcess, lines: string[] }

/**
 * Starts `gangwan-edge` for one gateway of the community, with a config written under the hub's
 * data folder (a working example of edge-agent/README.md), and, unless `--no-sim`, the simulator
 * for that gateway's devices against the agent's LAN listener.
 */
async function startEdge (info: HubInfo, communityFile: string): Promise<EdgeRun | undefined> {
  if (values.edge === 'none') return undefined
  const community = JSON.parse(await readFile(communityFile, 'utf8')) as { gateways?: Array<{ id: string }> }
  const gateway = values.edge === 'first' ? community.gateways?.[0]?.id : values.edge
  if (gateway === undefined) return undefined
  const secrets = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
  if (secrets[gateway] === undefined) throw new GangwanError('GW_ERR_CONFIG_INVALID', `--edge ${gateway}: not a gateway of ${communityFile}`)
  const localPort = await freePort()
  const httpPort = await freePort()
  const configFile = join(info.dataDir, 'edge', `${gateway}.json`)
  await mkdir(dirname(configFile), { recursive: true })
  await writeFile(configFile, JSON.stringify({
    gatewayId: gateway,
    dataDir: gateway,
    uplink: { url: `mqtt://127.0.0.1:${info.mqttPort}`, password: secrets[gateway] },
    local: { mqtt: { host: '127.0.0.1', port: localPort } },
    http: { host: '127.0.0.1', port: httpPort },
    logLevel: 'warn'
  }, null, 2), { mode: 0o600 })
  const agent = edgeCommand(EDGE, configFile)
  const child = spawn(process.execPath, agent.args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT, env: agent.env })
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => { reject(new Error(`edge agent exited with ${code}`)) })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('GANGWAN_EDGE_READY ')) resolve()
      else process.stdout.write(`${line}\n`)
    })
  })
  const run: EdgeRun = {
    gateway,
    child,
    lines: [
      `  Edge agent     ${gateway} runs behind gangwan-edge (pid ${child.pid}): LAN MQTT mqtt://127.0.0.1:${localPort}`,
      `                 config ${configFile}   metrics http://127.0.0.1:${httpPort}/metrics`
    ]
  }
  if (!values['no-sim']) {
    run.sim = spawn(process.execPath, [SIMULATOR, '--community', communityFile, '--gateway', gateway, '--url', `mqtt://127.0.0.1:${localPort}`,
      '--speed', values.speed!, '--seed', values.seed!, '--no-progress', '--falling-rate', values['falling-rate']!], { stdio: 'inherit', cwd: ROOT })
  }
  return run
}

/** Ends a child process: SIGTERM unless a terminal Ctrl-C already reached it (same process group); SIGTERM after 10 s regardless. */
async function ended (child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  if (signal !== 'SIGINT') child.kill(signal)
  const timeout = setTimeout(() => child.kill('SIGTERM'), 10_000)
  await exited
  clearTimeout(timeout)
}

async function main (): Promise<void> {
  const env = { ...process.env }
  if (values.full) {
    env.GANGWAN_COMMUNITY ??= join(ROOT, '.data/huaguoyuan-full.json')
    env.GANGWAN_DATA_DIR ??= join(ROOT, '.data/full')
    say('Generating the full Huaguoyuan community (311 buildings, 14,500 devices)...')
    await mkdir(dirname(env.GANGWAN_COMMUNITY), { recursive: true })
    await run([SIMULATOR, 'generate', '--full', '--out', env.GANGWAN_COMMUNITY])
  }
  const config = loadHubConfig(env, ROOT)
  const hub = createHub(config, { log })
  say(`Starting the Gangwan hub with ${config.communityFile} ...`)
  const info = await hub.start()
  say('')
  for (const line of await consoleLines(info)) say(line)
  say(`  Community      ${info.community.name}: ${info.community.buildings} buildings, ${info.community.devices} devices, ${info.community.gateways} gateways`)
  say(`  MQTT broker    mqtt://127.0.0.1:${info.mqttPort}${info.mqttPort !== 1883 ? '   (1883 is taken on this machine, so another port was chosen)' : ''}`)
  if (info.mqttTlsPort !== undefined) say(`  MQTT over TLS  mqtts://127.0.0.1:${info.mqttTlsPort}${config.mqtt.tls?.caFile !== undefined ? '   (client certificate required)' : ''}`)
  say(`  InfluxDB       ${info.influxUrl}  database "${info.influxDb}"${info.localInfluxd ? `  (local influxd, data in ${join(info.dataDir, 'influxdb')})` : ''}`)
  say(`  Metrics        ${info.metricsUrl}`)
  say(`  Credentials    ${info.credentialsFile}`)
  say(`  Incidents      ${info.dispatchDb}`)
  say(`  Dashboard API  ${info.apiUrl}   (OpenAPI: ${info.apiUrl}/openapi.json)`)
  say(`  Console users  ${info.operatorsFile}   (admin, dispatcher, operator, viewer and the departments' handlers)`)
  say(`  Try            curl -s '${info.influxUrl}/query?db=${info.influxDb}' --data-urlencode 'q=SELECT * FROM noise ORDER BY time DESC LIMIT 3'`)
  say('')

  const edge = await startEdge(info, config.communityFile)
  for (const line of edge?.lines ?? []) say(line)
  const leftOut = [edge?.gateway, ...values['no-sim-gateway']!.split(',')].filter((g) => g !== undefined && g !== '').join(',')
  let sim: ChildProcess | undefined
  if (!values['no-sim']) {
    sim = spawn(process.execPath, [SIMULATOR, '--community', config.communityFile, '--url', `mqtt://127.0.0.1:${info.mqttPort}`,
      ...(leftOut === '' ? [] : ['--exclude-gateway', leftOut]),
      '--credentials', info.credentialsFile, '--speed', values.speed!, '--seed', values.seed!, '--no-progress',
      // Thrown objects are rare (a few per camera per week); the demo raises the rate so the first
      // ones show within a minute at 60x.
      '--falling-rate', values['falling-rate']!], { stdio: 'inherit', cwd: ROOT })
    say(`Simulator running at ${values.speed}x (pid ${sim.pid}). Ctrl-C to stop.`)
  }
  // Alerts as they are queued: each new one on a line, with where and why.
  const raised = new Map<string, number>()
  hub.analytics.onAlert((a) => {
    if (a.version !== 1) return
    raised.set(a.category, (raised.get(a.category) ?? 0) + 1)
    if (a.severity === 'P1' || a.severity === 'P2') {
      const where = [a.location.building, a.location.floor !== undefined ? `F${a.location.floor}` : a.location.floorRange !== undefined ? `F${a.location.floorRange.from}-${a.location.floorRange.to}` : undefined, a.location.facade, a.location.grid].filter(Boolean).join(' ')
      say(`  ALERT ${a.severity} ${a.title} · ${where} · ${a.ruleId} (${a.source.clause})`)
    }
  })
  const timer = setInterval(() => {
    void influxCounts(info).then(async (line) => {
      const alerts = [...raised].map(([c, n]) => `${c} ${n}`).join(' · ') || 'none yet'
      return hub.dispatch.list({ open: true, limit: 1 }).then(({ total }) => {
        say(`[${new Date().toLocaleTimeString()}] stored in InfluxDB: ${line}\n           alerts raised: ${alerts}\n           open incidents: ${total}`)
      })
    }).catch(() => {})
  }, 15_000)

  let stopping = false
  // A Ctrl-C in the terminal reaches the simulator too (same process group), so on SIGINT it is
  // only waited for (it prints its closing summary); a SIGTERM is passed on.
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return
    stopping = true
    clearInterval(timer)
    say('\nStopping...')
    await Promise.all([ended(sim, signal), ended(edge?.sim, signal)])
    // The agent publishes `offline` on SIGTERM, so it goes before the hub; a Ctrl-C reached it already.
    await ended(edge?.child, signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM')
    await hub.stop()
    say('Stopped.')
    process.exit(0)
  }
  process.on('SIGINT', () => { void shutdown('SIGINT') })
  process.on('SIGTERM', () => { void shutdown('SIGTERM') })
}

main().catch((err: unknown) => {
  const msg = err instanceof GangwanError ? `${err.code}: ${err.message}` : String((err as Error).stack ?? err)
  process.stderr.write(`npm start failed: ${msg}\n`)
  process.exit(1)
})
