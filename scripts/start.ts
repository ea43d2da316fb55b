// The main job (`npm start`): the hub with the demo community, and the simulator driving it.
// Prints where everything is, then every 15 s what InfluxDB holds per kind. Ctrl-C stops both.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { DEVICE_KINDS, GangwanError } from '@gangwan/contracts'
import { createHub, loadHubConfig, type HubInfo } from '@gangwan/hub'
import { queryInflux } from '@gangwan/ingest'

const ROOT = new URL('..', import.meta.url).pathname
const SIMULATOR = join(ROOT, 'simulators/src/main.ts')
/** The operator console's build, which the hub serves at `/` (scripts/setup.sh builds it). */
const CONSOLE_INDEX = join(ROOT, 'dashboard/console/dist/index.html')
const { values } = parseArgs({ options: {
  speed: { type: 'string', default: '60' },
  full: { type: 'boolean', default: false },
  'no-sim': { type: 'boolean', default: false },
  seed: { type: 'string', default: '1' },
  'falling-rate': { type: 'string', default: '40' }
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

  let sim: ChildProcess | undefined
  if (!values['no-sim']) {
    sim = spawn(process.execPath, [SIMULATOR, '--community', config.communityFile, '--url', `mqtt://127.0.0.1:${info.mqttPort}`,
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
    if (sim && sim.exitCode === null) {
      const exited = new Promise((resolve) => sim!.once('exit', resolve))
      if (signal !== 'SIGINT') sim.kill(signal)
      const timeout = setTimeout(() => sim!.kill('SIGTERM'), 10_000)
      await exited
      clearTimeout(timeout)
    }
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
