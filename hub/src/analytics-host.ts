import { writeSync } from 'node:fs'
import { createAnalytics, createAnomalyStage, type AnalyticsDeps, type AnalyticsHost, type AnalyticsHostContext } from '@gangwan/analytics'
import type { Community } from '@gangwan/contracts'
import { createAlertQueue, createPostgresAlertQueue } from '@gangwan/dispatch'
import type { StoredMessage } from '@gangwan/ingest'
import type { HubConfig } from './config.ts'
import { toObservation } from './observation.ts'
import { replayIntoAnalytics } from './replay-into-analytics.ts'

/** What the hub hands its analytics worker (structured clone). */
export interface HubAnalyticsHost {
  community: Community
  /** The dispatch queue's SQLite file. */
  dispatchDb: string
  /** The dispatch queue on PostgreSQL instead (GANGWAN_DISPATCH_PG_URL). */
  dispatchPgUrl: string | undefined
  /** Undefined: rules only. */
  modelsDir: string | undefined
  failpoint: HubConfig['failpoint']
  /** Measurement time replayed at each worker start, ms. */
  replayMs: number
  influx: { url: string, database: string, username: string | undefined, password: string | undefined }
}

/** The test failpoints, as the worker numbered `incarnation` (0 = first) applies them. */
function failpoint (name: HubConfig['failpoint'], incarnation: number): Pick<AnalyticsDeps, 'afterDetect'> {
  if (name === 'analytics-after-detect') {
    return {
      afterDetect: () => {
        // Synchronously: the kill comes before any asynchronous log line could be written.
        writeSync(2, 'failpoint analytics-after-detect: killing the process\n')
        process.kill(process.pid, 'SIGKILL')
      }
    }
  }
  // In a worker, process.exit ends the thread only; the first worker dies, its successor lives.
  if (name === 'analytics-worker-exit' && incarnation === 0) return { afterDetect: () => { process.exit(1) } }
  return {}
}

/**
 * Builds the hub's analytics inside its worker thread: opens the dispatch queue, creates the
 * analytics core on it with the anomaly stage (a model that fails to load rejects with
 * GW_ERR_MODEL_LOAD_FAILED / GW_ERR_MODEL_CONTRACT, and the hub's start fails with it), starts
 * it, and says how to feed it: ingest's stored messages as observations, the replay as warm-up.
 *
 * @example serveAnalytics(parentPort!, workerData, openHubAnalytics)
 */
export async function openHubAnalytics ({ init, log, metrics }: AnalyticsHostContext<HubAnalyticsHost>): Promise<AnalyticsHost<StoredMessage>> {
  const h = init.host
  const queue = h.dispatchPgUrl !== undefined ? createPostgresAlertQueue({ connectionString: h.dispatchPgUrl, log }) : createAlertQueue({ path: h.dispatchDb, log })
  const modelsDir = h.modelsDir
  const analytics = createAnalytics({}, {
    community: h.community, log, sink: queue, metrics,
    ...(modelsDir !== undefined ? { anomaly: async (ctx, onSignals) => await createAnomalyStage({ modelsDir, ctx, log, onSignals }) } : {}),
    ...failpoint(h.failpoint, init.incarnation)
  })
  try {
    await analytics.start()
  } catch (err) {
    await queue.close()
    throw err
  }
  return {
    analytics,
    toObservation,
    warmUp: async (journalDrained, replay) => {
      await replayIntoAnalytics({ replay, flush: analytics.flush, community: h.community, log, lookbackMs: h.replayMs, influx: h.influx, journalDrained: journalDrained === true })
    },
    close: async () => { await queue.close() }
  }
}
