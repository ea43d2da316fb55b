import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import type { Logger } from 'pino'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { brokerConfig, createBroker, createCredentialStore, type Broker, type CredentialStore } from '@gangwan/broker'
import { createIngest, createLocalInfluxd, waitForInflux, ingestConfig, type Ingest, type LocalInfluxd } from '@gangwan/ingest'
import { createAnalyticsThread, type AnalyticsThread } from '@gangwan/analytics'
import { createDashboard, createSqliteAuthStore, type AuthStore, type Dashboard } from '@gangwan/dashboard'
import type { Dispatch } from '@gangwan/dispatch'
import type { HubAnalyticsHost } from './analytics-host.ts'
import type { HubConfig } from './config.ts'
import { loadCommunityFile } from './community-file.ts'
import { provisionCommunity } from './provisioning.ts'
import { registerOpsRoutes } from './ops-server.ts'
import { startDispatchHost, type DispatchHost } from './dispatch-host.ts'
import { seedOperatorAccounts } from './operator-accounts.ts'
import { createAnalyticsWatch, createHealthCheck } from './health-check.ts'
import { listenWithFallback } from './listen.ts'
import { createDeviceDirectory } from './device-directory.ts'
import { createCredentialIssuer } from './credential-issuer.ts'
import { createTelemetryHistory } from './telemetry-history.ts'
import { createCommandChannel, type HubCommandChannel } from './commands/create-command-channel.ts'

/** Where a started hub can be reached; printed by `npm start`. */
export interface HubInfo {
  mqttHost: string
  mqttPort: number
  /** The MQTT-over-TLS port, when GANGWAN_MQTT_TLS_PORT is set. */
  mqttTlsPort?: number
  httpUrl: string
  metricsUrl: string
  influxUrl: string
  influxDb: string
  localInfluxd: boolean
  dataDir: string
  /** The dispatch queue's and incidents' SQLite file, or `postgresql`. */
  dispatchDb: string
  /** The dashboard's HTTP API (OpenAPI at `<apiUrl>/openapi.json`). */
  apiUrl: string
  /** Passwords of the console accounts created at first start (mode 0600). */
  operatorsFile: string
  /** Whether the anomaly models run. */
  models: boolean
  credentialsFile: string
  community: { id: string; name: string; devices: number; gateways: number; buildings: number }
  provisioned: number
}

/** The composed hub: broker + ingest + analytics (+ later dispatch, dashboard) in one process. */
export interface Hub {
  start: () => Promise<HubInfo>
  stop: () => Promise<void>
  readonly metrics: Registry
  /** Available after start. */
  readonly ingest: Ingest
  /** Available after start: analytics in its worker thread (`onAlert`, `flush`, `stop`). */
  readonly analytics: AnalyticsThread
  /** Available after start: the incident workflow. */
  readonly dispatch: Dispatch
}

/** What the hub process hands in. */
export interface HubDeps {
  log: Logger
}

/** The analytics worker thread's entry module. */
const ANALYTICS_WORKER = new URL('./analytics-worker.ts', import.meta.url)
/** How long an analytics worker's start waits for the journal to reach InfluxDB before it replays what is there. */
const DRAIN_WAIT_MS = 30_000

/** Whether everything ingest accepted so far reached InfluxDB within DRAIN_WAIT_MS. */
async function journalDrained (ingest: Ingest): Promise<boolean> {
  const ac = new AbortController()
  try {
    return await Promise.race([ingest.drained().then(() => true, () => false), sleep(DRAIN_WAIT_MS, false, { signal: ac.signal })])
  } finally {
    ac.abort()
  }
}

/**
 * Composes the hub from its parts (DESIGN "The flow"): loads and validates the community file,
 * provisions its clients' credentials, starts or connects to InfluxDB, then ingest, then analytics
 * (replay included), then the broker (so nothing is acknowledged before the journal is open), then
 * the operations HTTP server. `stop` undoes it in reverse order. No side effects until `start`.
 *
 * Threads: the main thread runs aedes and the HTTP server; ingest and analytics each run in a
 * worker thread, and stored messages go from the ingest worker to the analytics worker over a
 * MessageChannel without passing through the main thread.
 */
export function createHub (config: Readonly<HubConfig>, deps: HubDeps): Hub {
  const log = deps.log
  const metrics = new Registry()
  collectDefaultMetrics({ register: metrics, prefix: 'gangwan_' })
  let influxd: LocalInfluxd | undefined
  let credentials: CredentialStore | undefined
  let ingest: Ingest | undefined
  let analytics: AnalyticsThread | undefined
  let broker: Broker | undefined
  let dispatchHost: DispatchHost | undefined
  let auth: AuthStore | undefined
  let dashboard: Dashboard | undefined
  let commands: HubCommandChannel | undefined

  async function startInflux (): Promise<string> {
    if (config.influxUrl !== undefined) {
      await waitForInflux(config.influxUrl, 5000).catch((err: Error) => {
        // The journal holds data while InfluxDB is away; start anyway and backfill later.
        log.warn({ url: config.influxUrl, err: err.message }, 'InfluxDB is not answering; buffering until it is')
      })
      return config.influxUrl
    }
    influxd = createLocalInfluxd({ dataDir: join(config.dataDir, 'influxdb'), log })
    await influxd.start()
    return influxd.url
  }

  return {
    metrics,
    get ingest () {
      if (!ingest) throw new Error('hub not started')
      return ingest
    },
    get analytics () {
      if (!analytics) throw new Error('hub not started')
      return analytics
    },
    get dispatch () {
      if (!dispatchHost) throw new Error('hub not started')
      return dispatchHost.dispatch
    },
    async start () {
      await mkdir(config.dataDir, { recursive: true })
      const community = await loadCommunityFile(config.communityFile)
      credentials = createCredentialStore({ path: join(config.dataDir, 'registry.db') })
      const credentialsFile = join(config.dataDir, 'credentials.json')
      const provisioned = await provisionCommunity(community, credentials, credentialsFile)
      if (provisioned > 0) log.info({ provisioned, credentialsFile }, 'credentials issued')

      const influxUrl = await startInflux()
      ingest = createIngest(ingestConfig({
        journalPath: join(config.dataDir, 'ingest-journal.db'),
        journalSync: config.journalSync,
        influx: { url: influxUrl, database: config.influxDb, username: config.influxUsername, password: config.influxPassword, version: 1 }
      }), { log, metrics, community })
      await ingest.start()

      // Analytics (its own worker thread, which opens the dispatch queue and the models) sees each
      // message once it is durable, straight from the ingest worker.
      const dispatchDb = join(config.dataDir, 'dispatch.db')
      const host: HubAnalyticsHost = {
        community, dispatchDb, dispatchPgUrl: config.dispatch.pgUrl, modelsDir: config.modelsDir, failpoint: config.failpoint, replayMs: config.analyticsReplayMs,
        influx: { url: influxUrl, database: config.influxDb, username: config.influxUsername, password: config.influxPassword }
      }
      const ing = ingest
      const analyticsWatch = createAnalyticsWatch(metrics)
      let unforward: (() => void) | undefined
      const thread = createAnalyticsThread({
        entry: ANALYTICS_WORKER, host, log, metrics,
        // Every analytics worker (the first, a restarted one) gets a fresh channel from the ingest
        // worker, then replays what InfluxDB holds; live messages wait in the channel meanwhile.
        prepare: async () => {
          analyticsWatch.booted()
          unforward = ing.forwardStored(link)
          return config.analyticsReplayMs > 0 ? await journalDrained(ing) : true
        },
        onGiveUp: () => { analyticsWatch.gaveUp(); unforward?.() }
      })
      // Called again by ingest for each worker it restarts: a port dies with its thread.
      function link (): MessagePort {
        const { port1, port2 } = new MessageChannel()
        thread.addSource(port2)
        return port1
      }
      analytics = thread
      // A model that fails to load rejects here with its code, and start-up stops.
      await thread.start()

      const store = credentials
      const sink = ingest.sink
      broker = await listenWithFallback('MQTT', config.mqtt.port, config.mqtt.portExplicit, log, async (port) => {
        const b = createBroker(brokerConfig({ host: config.mqtt.host, port, maxPayloadBytes: config.mqtt.maxPayloadBytes, tls: config.mqtt.tls }), { log, metrics, credentials: store, sink })
        try {
          await b.start()
        } catch (err) {
          await b.stop().catch(() => {})
          throw err
        }
        return b
      })

      // Commands to gateways go out through this broker; their acknowledgements come back through it.
      commands = createCommandChannel({ community, broker, log, metrics, timeoutMs: config.commands.timeoutMs })
      await commands.start()

      // Incidents: the service consumes the queue analytics fills; people work them over the API.
      dispatchHost = await startDispatchHost({ community, dataDir: config.dataDir, pgUrl: config.dispatch.pgUrl, log, metrics })
      auth = createSqliteAuthStore({ path: join(config.dataDir, 'dashboard.db') })
      const operatorsFile = join(config.dataDir, 'operators.json')
      const accounts = await seedOperatorAccounts(auth, community, operatorsFile)
      if (accounts > 0) log.info({ accounts, operatorsFile }, 'console accounts created')
      // What the operator console reads besides incidents: the hub's parts behind the dashboard's interfaces.
      const influx = { url: influxUrl, database: config.influxDb, username: config.influxUsername, password: config.influxPassword }
      const ui = createDashboard({ host: config.http.host, port: config.http.port, sessionIdleS: config.sessions.idleS, sessionMaxS: config.sessions.maxS }, {
        dispatch: dispatchHost.dispatch, auth, log, community,
        devices: createDeviceDirectory({ community, influx, dispatch: dispatchHost.dispatch, log }),
        credentials: createCredentialIssuer({ community, store, secretsFile: credentialsFile, log }),
        telemetry: createTelemetryHistory({ community, influx }),
        commands
      })
      registerOpsRoutes(ui.app, {
        metrics,
        health: createHealthCheck(config.health, { broker: () => broker, ingest: () => ingest?.status, analytics: analyticsWatch.check, now: Date.now })
      })
      dashboard = ui
      const httpPort = await listenWithFallback('HTTP', config.http.port, config.http.portExplicit, log, async (port) => Number(new URL((await ui.start(port)).url).port))
      const httpUrl = `http://${config.http.host}:${httpPort}`
      return {
        mqttHost: config.mqtt.host,
        mqttPort: broker.port,
        ...(broker.tlsPort === undefined ? {} : { mqttTlsPort: broker.tlsPort }),
        httpUrl,
        metricsUrl: `${httpUrl}/metrics`,
        influxUrl,
        influxDb: config.influxDb,
        localInfluxd: influxd !== undefined,
        dataDir: config.dataDir,
        dispatchDb: dispatchHost.location,
        apiUrl: `${httpUrl}/api/v1`,
        operatorsFile,
        models: config.modelsDir !== undefined,
        credentialsFile,
        community: { id: community.id, name: community.name, devices: community.devices.length, gateways: community.gateways.length, buildings: community.buildings.length },
        provisioned
      }
    },
    async stop () {
      await commands?.stop()
      await broker?.stop()
      await ingest?.stop()
      await analytics?.stop()
      await dashboard?.stop()
      await dispatchHost?.stop()
      await auth?.close()
      await influxd?.stop()
      credentials?.close()
    }
  }
}
