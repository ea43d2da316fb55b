import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { Alert, Community } from '@gangwan/contracts'
import { createAlertQueue } from '@gangwan/dispatch'
import { createHub, loadHubConfig } from '@gangwan/hub'
import { groundTruth, loadScenario, runSimulation, type TruthItem } from '@gangwan/simulators'

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  file: string
  community: Community
  communityFile: string
  /** Simulated seconds per wall second. */
  speed: number
  /** A folder for the hub's data (one sub-folder per scenario). */
  workDir: string
  /** An InfluxDB to use; absent: the hub starts its own. */
  influxUrl?: string
  log: Logger
}

/** What one scenario run produced. */
export interface ScenarioRun {
  name: string
  alerts: Alert[]
  truth: TruthItem[]
  sent: number
  acked: number
  /** Messages the simulated devices produced but never got acknowledged (backlog left at the end, or dropped). */
  unacked: number
  wallMs: number
}

async function allAlerts (dispatchDb: string, log: Logger): Promise<Alert[]> {
  const q = createAlertQueue({ path: dispatchDb, log })
  try {
    const out: Alert[] = []
    for (;;) {
      const page = await q.list({ limit: 1000, ...(out.length > 0 ? { afterKey: out[out.length - 1]!.key } : {}) })
      out.push(...page)
      if (page.length < 1000) return out
    }
  } finally {
    await q.close()
  }
}

/**
 * Runs one scenario through the real pipeline: a hub (broker, ingest, analytics, dispatch queue)
 * on free ports, the scenario's simulation publishing to it over MQTT at QoS 1 at `speed`, then
 * waits until every acknowledged message is journaled and analysed and reads every alert version
 * from the dispatch queue. The hub replays nothing at start (a fresh data folder).
 *
 * @example const run = await runScenario({ file, community, communityFile, speed: 600, workDir, log })
 */
export async function runScenario (o: RunScenarioOptions): Promise<ScenarioRun> {
  const t0 = performance.now()
  const scenario = await loadScenario(o.file, o.community)
  const dataDir = join(o.workDir, scenario.name)
  await mkdir(dataDir, { recursive: true })
  const hub = createHub(loadHubConfig({
    GANGWAN_DATA_DIR: dataDir, GANGWAN_COMMUNITY: o.communityFile, GANGWAN_MQTT_HOST: '127.0.0.1', GANGWAN_MQTT_PORT: '0',
    GANGWAN_HTTP_HOST: '127.0.0.1', GANGWAN_HTTP_PORT: '0', GANGWAN_INFLUX_DB: `eval_${scenario.name.replace(/[^A-Za-z0-9_]/g, '_')}_${Date.now().toString(36)}`,
    GANGWAN_ANALYTICS_REPLAY_S: '0', GANGWAN_JOURNAL_SYNC: 'normal',
    ...(o.influxUrl !== undefined ? { GANGWAN_INFLUX_URL: o.influxUrl } : {})
  }), { log: o.log })
  const info = await hub.start()
  try {
    const credentials = JSON.parse(await readFile(info.credentialsFile, 'utf8')) as Record<string, string>
    const summary = await runSimulation({
      community: o.community, seed: scenario.seed, startMs: scenario.startMs, speed: o.speed, scenario, qos: 1,
      url: `mqtt://127.0.0.1:${info.mqttPort}`, credentials, log: o.log,
      // Under time compression the gateways' backlogs can run minutes behind; they are part of the run.
      drainMs: 300_000
    })
    await hub.ingest.drained()
    await hub.analytics.flush()
    return { name: scenario.name, alerts: await allAlerts(info.dispatchDb, o.log), truth: groundTruth(scenario, o.community), sent: summary.sent, acked: summary.acked, unacked: summary.unsent + summary.dropped + summary.refused.lostPublishes, wallMs: Math.round(performance.now() - t0) }
  } finally {
    await hub.stop()
  }
}
