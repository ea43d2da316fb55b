import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { collectDefaultMetrics, Registry } from 'prom-client'
import { brokerConfig, createBroker, createCredentialStore, type Broker, type CredentialStore } from '@gangwan/broker'
import { createIngest, createLocalInfluxd, waitForInflux, ingestConfig, type Ingest, type LocalInfluxd } from '@gangwan/ingest'
import { replayIntoAnalytics } from './replay-into-analytics.ts'
import { createAnalytics, createAnomalyStage, type Analytics } from '@gangwan/analytics'
import { createAlertQueue, type AlertQueue } from '@gangwan/dispatch'
import type { Alert } from '@gangwan/contracts'
import { toObservation } from './observation.ts'
import type { HubConfig } from './config.ts'
import { loadCommunityFile } from './community-file.ts'
import { provisionCommunity } from './provisioning.ts'
import { createOpsServer } from './ops-server.ts'
import { listenWithFallback } from './listen.ts'

/** Where a started hub can be reached; printed by `npm start`. */
export interface HubInfo {
  mqttHost: string
  mqttPort: number
  httpUrl: string
  metricsUrl: string
  influxUrl: string
  influxDb: string
  localInfluxd: boolean
  dataDir: string
  /** The dispatch queue's SQLite file. */
  dispatchDb: string
  /** Whether the anomaly models run. */
  models: boolean
  credentialsFile: string
  community: { id: string; name: string; devices: number; gateways: number; buildings: number }
  provisioned: number
}

/** The composed hub: broker + ingest (+ later analytics, dispatch, dashboard) in one process. */
export interface Hub {
  start: () => Promise<HubInfo>
  stop: () => Promise<void>
  readonly metrics: Registry
  /** Available after start. */
  readonly ingest: Ingest
  /** Available after start. */
  readonly analytics: Analytics
}

/** What the hub process hands in. */
export interface HubDeps {
  log: Logger
  /** Called with alerts detected and not yet queued (the crash test's failpoint). */
  afterDetect?: (alerts: readonly Alert[]) => void
}

/**
 * Composes the hub from its parts (DESIGN "The flow"): loads and validates the community file,
 * provisions its clients' credentials, starts or connects to InfluxDB, then ingest, then the broker
 * (so nothing is acknowledged before the journal is open), then the operations HTTP server.
 * `stop` undoes it in reverse order. No side effects until `start`.
 */
export function createHub (config: Readonly<HubConfig>, deps: HubDeps): Hub {
  const log = deps.log
  const metrics = new Registry()
  collectDefaultMetrics({ register: metrics, prefix: 'gangwan_' })
  let influxd: LocalInfluxd | undefined
  let credentials: CredentialStore | undefined
  let ingest: Ingest | undefined
  let queue: AlertQueue | undefined
  let analytics: Analytics | undefined
  let broker: Broker | undefined
  let ops: ReturnType<typeof createOpsServer> | undefined

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

      // Analytics sees each message once it is durable; its alerts go to the dispatch queue.
      const dispatchDb = join(config.dataDir, 'dispatch.db')
      queue = createAlertQueue({ path: dispatchDb, log })
      const modelsDir = config.modelsDir
      analytics = createAnalytics({}, {
        community, log, sink: queue, metrics,
        // A model that fails to load rejects here with its code, and start-up stops.
        ...(modelsDir !== undefined ? { anomaly: async (ctx, onSignals) => await createAnomalyStage({ modelsDir, ctx, log, onSignals }) } : {}),
        ...(deps.afterDetect ? { afterDetect: deps.afterDetect } : {})
      })
      await analytics.start()
      await replayIntoAnalytics({ ingest, analytics, community, log, lookbackMs: config.analyticsReplayMs, influx: { url: influxUrl, database: config.influxDb, username: config.influxUsername, password: config.influxPassword } })
      const a = analytics
      ingest.onStored((m) => { a.observe(toObservation(m)) })

      const store = credentials
      const sink = ingest.sink
      broker = await listenWithFallback('MQTT', config.mqtt.port, config.mqtt.portExplicit, log, async (port) => {
        const b = createBroker(brokerConfig({ host: config.mqtt.host, port, maxPayloadBytes: config.mqtt.maxPayloadBytes }), { log, metrics, credentials: store, sink })
        try {
          await b.start()
        } catch (err) {
          await b.stop().catch(() => {})
          throw err
        }
        return b
      })

      const server = createOpsServer({
        metrics,
        health: () => ({ ok: true, mqttClients: broker?.connectedClients ?? 0, journalPending: ingest?.pending ?? 0 })
      })
      ops = server
      const httpPort = await listenWithFallback('HTTP', config.http.port, config.http.portExplicit, log, async (port) => {
        await server.listen({ host: config.http.host, port })
        const addr = server.server.address()
        return typeof addr === 'object' && addr !== null ? addr.port : port
      })
      const httpUrl = `http://${config.http.host}:${httpPort}`
      return {
        mqttHost: config.mqtt.host,
        mqttPort: broker.port,
        httpUrl,
        metricsUrl: `${httpUrl}/metrics`,
        influxUrl,
        influxDb: config.influxDb,
        localInfluxd: influxd !== undefined,
        dataDir: config.dataDir,
        dispatchDb,
        models: modelsDir !== undefined,
        credentialsFile,
        community: { id: community.id, name: community.name, devices: community.devices.length, gateways: community.gateways.length, buildings: community.buildings.length },
        provisioned
      }
    },
    async stop () {
      await broker?.stop()
      await ingest?.stop()
      await analytics?.stop()
      await queue?.close()
      await ops?.close()
      await influxd?.stop()
      credentials?.close()
    }
  }
}
