import { Worker, type MessagePort } from 'node:worker_threads'
import { ERROR_CODES, GangwanError, type Alert, type ErrorCode } from '@gangwan/contracts'
import type { Logger } from 'pino'
import { Counter, type Registry } from 'prom-client'
import { ANALYTICS_METRICS } from '../analytics-metrics.ts'
import { createMetricsRelay } from './create-metrics-relay.ts'
import { relayWorkerLog } from './create-worker-logger.ts'
import type { AnalyticsWorkerInit, FromAnalyticsWorker, MetricsSnapshot, ToAnalyticsWorker, WireError } from './protocol.ts'

/** Options of {@link createAnalyticsThread}. */
export interface AnalyticsThreadOptions<H> {
  /** The worker's entry module: it calls `serveAnalytics(parentPort, workerData, open)`. */
  entry: URL
  /** Handed to the entry as `workerData.host` (structured clone). */
  host: H
  log: Logger
  /** The process registry: the worker's analytics metrics are relayed onto it. */
  metrics: Registry
  /**
   * Called once each worker (the first and every restarted one) is ready and before it warms up:
   * give it its sources here ({@link AnalyticsThread.addSource}); the value it resolves is handed
   * to the entry's warm-up.
   */
  prepare?: () => Promise<unknown>
  /** Called when the worker died too often and is not restarted again. */
  onGiveUp?: () => void
}

/** Analytics running in its own worker thread, as the main thread sees it. */
export interface AnalyticsThread {
  /** Starts the worker and waits for its warm-up; rejects with the worker's coded error (a model that fails to load). */
  start: () => Promise<void>
  /** A port on which batches of stored messages will arrive from another thread (transferred to the worker). */
  addSource: (port: MessagePort) => void
  /** Alert versions once durable in the queue; posted from the worker only while a listener exists. */
  onAlert: (listener: (alert: Alert) => void) => () => void
  /** Resolves once everything the sources delivered so far has run through the models and its alerts are in the queue. */
  flush: () => Promise<void>
  stop: () => Promise<void>
}

/** Logged with a worker's death (not yet in contracts' ERROR_CODES). */
const WORKER_DIED = 'GW_ERR_ANALYTICS_WORKER_DIED'
/** A worker that dies more often than this within RESTART_WINDOW_MS is not restarted again. */
const MAX_RESTARTS = 3
const RESTART_WINDOW_MS = 60_000
const STOP_TIMEOUT_MS = 10_000

interface Pending { resolve: (snapshot: MetricsSnapshot | undefined) => void, reject: (err: Error) => void }

const coded = (e: WireError): Error => e.code in ERROR_CODES ? new GangwanError(e.code as ErrorCode, e.message) : new Error(e.message)

/**
 * Runs analytics in a worker thread (`entry`) and supervises it like ingest does its worker: a
 * worker that dies is logged with `GW_ERR_ANALYTICS_WORKER_DIED`, counted
 * (`gangwan_analytics_worker_deaths_total`) and restarted, at most 3 times a minute; each new
 * worker gets its sources through `prepare` and warms up (replays stored telemetry) before it
 * reads them. Alerts come back only while someone listens; metrics are pulled when scraped.
 *
 * @example
 * const analytics = createAnalyticsThread({ entry, host, log, metrics, prepare: async () => { ingest.forwardStored(link); return true } })
 * await analytics.start()
 */
export function createAnalyticsThread<H> (o: AnalyticsThreadOptions<H>): AnalyticsThread {
  const log = o.log.child({ component: 'analytics' })
  let state: 'new' | 'starting' | 'running' | 'stopped' | 'failed' = 'new'
  let worker: Worker | undefined
  let lifecycle: { resolve: () => void, reject: (err: Error) => void } | undefined
  let incarnation = 0
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Set<(alert: Alert) => void>()
  const restarts: number[] = []
  if (o.metrics.getSingleMetric('gangwan_analytics_worker_deaths_total') !== undefined) o.metrics.removeSingleMetric('gangwan_analytics_worker_deaths_total')
  const deaths = new Counter({ name: 'gangwan_analytics_worker_deaths_total', help: 'Analytics worker threads that died while running (each restarted, at most 3 a minute)', registers: [o.metrics] })
  const relay = createMetricsRelay(o.metrics, ANALYTICS_METRICS, () => worker === undefined ? undefined : ask((id) => ({ t: 'metrics', id })) as Promise<MetricsSnapshot>)

  function ask (make: (id: number) => ToAnalyticsWorker): Promise<MetricsSnapshot | undefined> {
    const w = worker
    if (w === undefined) return Promise.reject(new Error('analytics worker is not running'))
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      w.postMessage(make(id))
    })
  }

  function onMessage (w: Worker, m: FromAnalyticsWorker): void {
    switch (m.t) {
      case 'log': relayWorkerLog(o.log, m.line); return
      case 'ready': lifecycle?.resolve(); lifecycle = undefined; return
      case 'fatal':
        if (lifecycle !== undefined) { lifecycle.reject(coded(m.error)); lifecycle = undefined }
        void w.terminate()
        return
      case 'done':
      case 'metrics': {
        const p = pending.get(m.id)
        pending.delete(m.id)
        if (m.t === 'done' && m.error !== undefined) p?.reject(coded(m.error))
        else p?.resolve(m.snapshot)
        return
      }
      case 'alerts':
        for (const a of m.alerts) {
          for (const l of listeners) {
            try { l(a) } catch (err) { log.error({ err }, 'alert listener threw') }
          }
        }
    }
  }

  function exited (w: Worker, code: number, error: Error | undefined): void {
    if (w !== worker) return
    worker = undefined
    relay.fold()
    const err = new Error(`analytics worker exited with code ${code}${error === undefined ? '' : `: ${error.message}`}`)
    if (lifecycle !== undefined) { lifecycle.reject(err); lifecycle = undefined }
    for (const p of pending.values()) p.reject(err)
    pending.clear()
    if (state !== 'running') return
    deaths.inc()
    const t = Date.now()
    while (restarts.length > 0 && restarts[0]! < t - RESTART_WINDOW_MS) restarts.shift()
    if (restarts.length >= MAX_RESTARTS) {
      state = 'failed'
      log.fatal({ code: WORKER_DIED, err: error ?? err }, 'analytics worker keeps dying; analytics is off until the hub restarts (ingest and the broker go on)')
      o.onGiveUp?.()
      return
    }
    restarts.push(t)
    log.error({ code: WORKER_DIED, err: error ?? err }, 'analytics worker died; restarting it (its windows are rebuilt by the replay)')
    void boot().then(() => { log.info('analytics worker restarted') }, (e: unknown) => {
      log.error({ err: e }, 'restarted analytics worker failed to start')
    })
  }

  /** Spawns a worker, waits for ready, gives it its sources and waits for its warm-up. */
  async function boot (): Promise<void> {
    const init: AnalyticsWorkerInit<H> = { host: o.host, logLevel: o.log.level, alerts: listeners.size > 0, incarnation: incarnation++ }
    const w = new Worker(o.entry, { workerData: init, name: 'gangwan-analytics' })
    worker = w
    let error: Error | undefined
    const ready = new Promise<void>((resolve, reject) => { lifecycle = { resolve, reject } })
    w.on('message', (m: FromAnalyticsWorker) => { onMessage(w, m) })
    w.on('error', (err) => { error = err })
    w.on('exit', (code) => { exited(w, code, error) })
    try {
      await ready
      const prepared = await o.prepare?.()
      await ask((id) => ({ t: 'warm-up', id, prepared }))
    } catch (err) {
      // Counted as a death (and restarted, bounded) through the exit, unless start-up is what failed.
      if (w === worker && state === 'running') void w.terminate()
      throw err
    }
  }

  function post (m: ToAnalyticsWorker, transfer?: MessagePort[]): void {
    worker?.postMessage(m, transfer)
  }

  return {
    async start () {
      if (state !== 'new') throw new Error('an analytics thread starts once; create a new one')
      state = 'starting'
      try {
        await boot()
      } catch (err) {
        state = 'stopped'
        const w = worker
        worker = undefined
        await w?.terminate()
        throw err
      }
      state = 'running'
    },
    addSource (port) {
      if (worker === undefined) { port.close(); return }
      post({ t: 'source', port }, [port])
    },
    onAlert (listener) {
      listeners.add(listener)
      if (listeners.size === 1) post({ t: 'alerts', on: true })
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) post({ t: 'alerts', on: false })
      }
    },
    async flush () {
      if (state !== 'running' || worker === undefined) return
      await ask((id) => ({ t: 'flush', id }))
    },
    async stop () {
      const was = state
      state = 'stopped'
      const w = worker
      if (w === undefined) return
      if (was === 'running') {
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no answer within ${STOP_TIMEOUT_MS} ms`)) }, STOP_TIMEOUT_MS) })
        try {
          relay.fold(await Promise.race([ask((id) => ({ t: 'stop', id })), timeout]))
        } catch (err) {
          log.error({ err }, 'analytics worker did not stop cleanly')
        } finally {
          clearTimeout(timer)
        }
      }
      worker = undefined
      await w.terminate()
    }
  }
}
