import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import pino from 'pino'
import { CommunitySchema, GangwanError, type Community } from '@gangwan/contracts'
import { DEMO_PRESET, FULL_PRESET, generateCommunity } from './community/generate-community.ts'
import { formatCommunity } from './community/format-community.ts'
import { loadCommunity } from './community/load-community.ts'
import { createProgressDisplay } from './runner/create-progress-display.ts'
import { parseDuration } from './runner/parse-duration.ts'
import { runSimulation } from './runner/run-simulation.ts'
import { formatSummary } from './runner/simulation-summary.ts'
import { formatTruth, groundTruth } from './scenarios/ground-truth.ts'
import { loadScenario } from './scenarios/load-scenario.ts'
import type { Scenario } from './scenarios/scenario-schema.ts'
import { serveCommunityModbus, type CommunityModbus } from './modbus/serve-community-modbus.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const DEFAULT_COMMUNITY = 'communities/huaguoyuan.json'

const int = (v: string): number => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError('not an integer')
  return Number(v)
}
const positive = (v: string): number => {
  const n = Number(v)
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a positive number')
  return n
}
const nonNegative = (v: string): number => {
  const n = Number(v)
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number ≥ 0')
  return n
}
const duration = (v: string): number => {
  const ms = parseDuration(v)
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a duration such as 30s, 10m, 1h')
  return ms
}
const tcpPort = (v: string): number => {
  const n = int(v)
  if (n < 0 || n > 65535) throw new InvalidArgumentError('must be a TCP port, 0-65535')
  return n
}
const isoTime = (v: string): number => {
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO 8601 time, e.g. 2025-06-02T07:30:00+08:00')
  return ms
}

interface RunFlags {
  community: string; full?: boolean; writeCommunity?: string; url?: string; credentials?: string; seed?: number; speed: number
  start?: number; duration?: number; rate?: number; qos: '0' | '1'; progress: boolean; dryRun?: boolean; sampleEvery: number
  jsonSummary?: boolean; fallingRate?: number; connectRate?: number; logLevel: string; scenario?: string; truth?: string
  modbusPort?: number; modbusHost: string; modbusMap?: string; gateway?: string; excludeGateway?: string
}

/**
 * With `--gateway`: only the devices behind that gateway (or the direct device of that id), e.g. to
 * feed one edge agent's LAN listener, which relays its own gateway's topics only. With
 * `--exclude-gateway`: all but those gateways' devices (their agents are fed separately).
 */
function selectGateways (community: Community, gateway: string | undefined, exclude: string | undefined): Community {
  const left = new Set((exclude ?? '').split(',').map((g) => g.trim()).filter((g) => g !== ''))
  const devices = community.devices.filter((d) => {
    const gw = d.gateway ?? d.id
    return (gateway === undefined || gw === gateway) && !left.has(gw)
  })
  if (gateway !== undefined && devices.length === 0) throw new GangwanError('GW_ERR_CONFIG_INVALID', `--gateway ${gateway}: no device of the community is behind it`)
  // The fleet opens a client per gateway of the community: keep only those still feeding devices.
  const gateways = community.gateways.filter((g) => (gateway === undefined || g.id === gateway) && !left.has(g.id))
  return devices.length === community.devices.length ? community : { ...community, gateways, devices }
}

/** The scenario of `--scenario`, its ground truth written to `--truth` before the run starts. */
async function scenarioOf (flags: RunFlags, community: Community): Promise<Scenario | undefined> {
  if (flags.scenario === undefined) {
    if (flags.truth !== undefined) throw new GangwanError('GW_ERR_CONFIG_INVALID', '--truth needs --scenario')
    return undefined
  }
  // The scenario sets the natural event rates itself, and its ground truth depends on them.
  if (flags.fallingRate !== undefined) throw new GangwanError('GW_ERR_CONFIG_INVALID', '--falling-rate does not combine with --scenario: set options.fallingObjectsPerWeek in the scenario')
  const scenario = await loadScenario(resolve(flags.scenario), community, {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.start !== undefined ? { startMs: flags.start } : {})
  })
  if (flags.truth !== undefined) await writeFile(flags.truth, formatTruth(groundTruth(scenario, community)))
  return scenario
}

/** The community file, relative to the working directory, or to the repository for the default. */
function communityPath (file: string): string {
  return file === DEFAULT_COMMUNITY && !existsSync(file) ? resolve(ROOT, file) : resolve(file)
}

/** With `--modbus-port`: the noise meters and fume monitors on Modbus TCP, and where each answers, printed or written to `--modbus-map`. */
async function serveModbus (flags: RunFlags, community: Community, scenario: Scenario | undefined, startMs: number): Promise<CommunityModbus | undefined> {
  if (flags.modbusPort === undefined) {
    if (flags.modbusMap !== undefined) throw new GangwanError('GW_ERR_CONFIG_INVALID', '--modbus-map needs --modbus-port')
    return undefined
  }
  let modbus: CommunityModbus
  try {
    modbus = await serveCommunityModbus({
      community, seed: scenario?.seed ?? flags.seed ?? 1, startMs, speed: flags.speed, host: flags.modbusHost, port: flags.modbusPort,
      ...(scenario !== undefined ? { scenario } : {})
    })
  } catch (err) {
    throw new GangwanError('GW_ERR_PORT_IN_USE', `cannot serve Modbus on ${flags.modbusHost}:${flags.modbusPort}: ${(err as Error).message}`, { cause: err })
  }
  const line = `${JSON.stringify({ modbus: { host: modbus.host, devices: modbus.devices } })}\n`
  if (flags.modbusMap !== undefined) await writeFile(flags.modbusMap, line)
  else process.stdout.write(line)
  return modbus
}

async function readCredentials (file: string | undefined): Promise<Record<string, string> | undefined> {
  const path = file ?? resolve(process.env.GANGWAN_DATA_DIR ?? '.data', 'credentials.json')
  if (file === undefined && !existsSync(path)) return undefined
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
  } catch (err) {
    throw new GangwanError('GW_ERR_CONFIG_INVALID', `cannot read credentials ${path}: ${(err as Error).message}`, { cause: err })
  }
}

async function run (flags: RunFlags): Promise<number> {
  if (flags.dryRun !== true && flags.url === undefined) throw new GangwanError('GW_ERR_CONFIG_INVALID', '--url is required unless --dry-run')
  const log = pino({ level: flags.logLevel, base: { component: 'simulator' } }, pino.destination({ fd: 2, sync: true }))
  let community: Community
  if (flags.full === true) {
    community = CommunitySchema.parse(generateCommunity({ ...FULL_PRESET, seed: flags.seed ?? 1 }))
  } else {
    community = await loadCommunity(communityPath(flags.community))
  }
  if (flags.writeCommunity !== undefined) await writeFile(flags.writeCommunity, formatCommunity(community))
  community = selectGateways(community, flags.gateway, flags.excludeGateway)
  const scenario = await scenarioOf(flags, community)
  const credentials = flags.dryRun === true ? undefined : await readCredentials(flags.credentials)
  const startMs = scenario?.startMs ?? flags.start ?? Date.now()
  const modbus = await serveModbus(flags, community, scenario, startMs)
  const controller = new AbortController()
  let interrupts = 0
  const onSignal = (): void => {
    // A second Ctrl-C does not wait for the clean shutdown.
    if (++interrupts > 1) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const display = flags.progress && process.stderr.isTTY ? createProgressDisplay(process.stderr, community.timezone) : undefined
  const summary = await runSimulation({
    community,
    seed: scenario?.seed ?? flags.seed ?? 1,
    startMs,
    ...(scenario !== undefined ? { scenario } : {}),
    speed: flags.speed,
    qos: flags.qos === '0' ? 0 : 1,
    log,
    signal: controller.signal,
    ...(flags.url !== undefined ? { url: flags.url } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(flags.duration !== undefined ? { durationMs: flags.duration } : {}),
    ...(flags.rate !== undefined ? { rate: flags.rate } : {}),
    ...(flags.connectRate !== undefined ? { connectRatePerS: flags.connectRate } : {}),
    ...(flags.fallingRate !== undefined ? { models: { fallingObject: { eventsPerWeek: flags.fallingRate, nonPhysicalPerWeek: flags.fallingRate / 2 } } } : {}),
    ...(flags.dryRun === true ? { dryRun: { write: (line: string) => process.stdout.write(`${line}\n`), sampleEvery: flags.sampleEvery } } : {}),
    ...(display !== undefined ? { onProgress: display.update } : {})
  })
  display?.stop()
  await modbus?.close()
  process.stderr.write(`${formatSummary(summary)}\n`)
  if (flags.jsonSummary === true) process.stdout.write(`${JSON.stringify(summary)}\n`)
  // Exit 1 when not one client could connect: the hub is down, or every credential was refused.
  return !summary.dryRun && summary.clients.everConnected === 0 ? 1 : 0
}

interface GenerateFlags { full?: boolean; buildings?: number; devices?: number; seed: number; name?: string; id?: string; out?: string }

async function generate (flags: GenerateFlags): Promise<number> {
  const preset = flags.full === true ? FULL_PRESET : DEMO_PRESET
  const community = generateCommunity({
    seed: flags.seed,
    buildings: flags.buildings ?? preset.buildings,
    devices: flags.devices ?? preset.devices,
    name: flags.name ?? preset.name,
    id: flags.id ?? preset.id
  })
  const text = formatCommunity(community)
  if (flags.out !== undefined) await writeFile(flags.out, text)
  else process.stdout.write(text)
  return 0
}

const program = new Command('gangwan-simulate')
  .description('Gangwan device simulators: generate a community, run it against a hub over MQTT')
  .showHelpAfterError()
  // Throw instead of exiting, so bad usage exits 2 like other bad input (1 means "nothing connected").
  .exitOverride()
program.command('run', { isDefault: true })
  .description('run a community\'s devices against a hub (the default command)')
  .option('--community <file>', 'community file', DEFAULT_COMMUNITY)
  .option('--full', 'generate the full Huaguoyuan community (311 buildings, 14,500 devices) instead of --community')
  .option('--write-community <file>', 'write the community used (with --full: the generated one) so the hub can load it')
  .option('--url <url>', 'broker URL, e.g. mqtt://127.0.0.1:1883 (required unless --dry-run)')
  .option('--credentials <file>', 'the hub\'s credentials.json (default: credentials.json in $GANGWAN_DATA_DIR, else .data, when present)')
  .option('--seed <n>', 'random seed (default: the scenario\'s, else 1)', int)
  .option('--speed <x>', 'time compression: simulated seconds per wall second (60 = an hour a minute)', positive, 1)
  .option('--start <iso>', 'simulated start time (default: the scenario\'s, else now)', isoTime)
  .option('--duration <d>', 'wall-clock run time, e.g. 30s, 10m (default: to the scenario\'s end, else until Ctrl-C)', duration)
  .option('--scenario <file>', 'scenario file of incidents and faults to inject (docs/scenarios.md); the run ends with it')
  .option('--truth <file>', 'with --scenario, write its ground truth here as JSON lines')
  .option('--rate <n>', 'cap on messages per second overall', positive)
  .addOption(new Option('--qos <qos>', 'MQTT QoS of telemetry').choices(['0', '1']).default('1'))
  .option('--no-progress', 'no progress line on stderr')
  .option('--dry-run', 'no MQTT: print a sample of the messages as JSON lines')
  .option('--sample-every <n>', 'with --dry-run, print every n-th message', int, 100)
  .option('--json-summary', 'print the closing summary as one JSON line on stdout')
  .option('--falling-rate <perWeek>', 'falling-object events per camera per simulated week (default 3)', nonNegative)
  .option('--connect-rate <n>', 'new MQTT connections per second at start-up (default 200)', positive)
  .option('--gateway <id>', 'run only the devices behind this gateway (e.g. against one edge agent\'s LAN listener)')
  .option('--exclude-gateway <ids>', 'leave out the devices behind these gateways (comma-separated), e.g. ones fed through an edge agent')
  .option('--modbus-port <n>', 'also serve the noise meters and fume monitors over Modbus TCP on this port (0: a free one) and print where each answers', tcpPort)
  .option('--modbus-host <host>', 'interface of the Modbus TCP server', '127.0.0.1')
  .option('--modbus-map <file>', 'with --modbus-port, write the device → {kind, model, port, unitId} map here instead of stdout')
  .addOption(new Option('--log-level <level>', 'pino log level on stderr').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'))
  .action(async (flags: RunFlags) => { process.exitCode = await run(flags) })
program.command('generate')
  .description('generate a community file modelled on Huaguoyuan (default: the committed demo preset)')
  .option('--full', 'the full-scale preset: 311 buildings, 14,500 devices')
  .option('--buildings <n>', 'number of buildings', int)
  .option('--devices <n>', 'total number of devices (met within ±2 %)', int)
  .option('--seed <n>', 'random seed', int, 1)
  .option('--name <name>', 'community name')
  .option('--id <id>', 'community id')
  .option('--out <file>', 'output file (default: stdout)')
  .action(async (flags: GenerateFlags) => { process.exitCode = await generate(flags) })

/** Resolves once everything written so far to a stream has been handed to the OS. */
const flushed = async (stream: NodeJS.WriteStream): Promise<void> => { await new Promise<void>((resolve) => stream.write('', () => resolve())) }

try {
  await program.parseAsync(process.argv)
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed the error or the help already.
    process.exitCode = err.exitCode === 0 ? 0 : 2
  } else if (err instanceof GangwanError) {
    process.stderr.write(`${err.code}: ${err.message}\n`)
    process.exitCode = 2
  } else throw err
}
// Exit explicitly (a stray handle must not keep a finished run alive), but only once the output is out.
await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit(process.exitCode ?? 0)
