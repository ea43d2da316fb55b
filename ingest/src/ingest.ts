import { Worker, type MessagePort } from 'node:worker_threads'
import { GangwanError, type Community, type ErrorCode, type InboundMessage, type PublishSink } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { IngestConfig } from './config.ts'
import type { StoredMessage } from './classify/create-classifier.ts'
import { createIngestMetrics } from './metrics.ts'
import { ingestStatus, type IngestStatus } from './ingest-status.ts'
import { createGroupEncoder } from './worker/create-group-encoder.ts'
import { relayWorkerLog } from './worker/create-worker-logger.ts'
import type { FromWorker, ToWorker, WireError, WorkerInit, WorkerState } from './worker/protocol.ts'

/** The running ingest pipeline. */
export interface Ingest {
  /** Give this to the broker: it acknowledges a PUBLISH only once `accept` has settled. */
  readonly sink: PublishSink
  /** Starts the worker: journal open, database created if missing, writer replaying rows a previous run left. */
  start: () => Promise<void>
  /** Stops accepting, makes one last flush attempt (≤ 5 s), closes the journal; unwritten rows wait for the next start. */
  stop: () => Promise<void>
  /** Resolves when everything accepted so far is confirmed by InfluxDB (or dead-lettered). */
  drained: () => Promise<void>
  /**
   * Valid, deduplicated telemetry, status and heartbeats, in commit order, called once each message
   * is durable. Returns an unsubscribe function.
   */
  onStored: (listener: (m: StoredMessage) => void) => () => void
  /**
   * Sends the same stored messages, one `StoredMessage[]` per commit, straight from the worker
   * thread to a port `open` returns (the other end belongs to another thread), so this thread
   * neither receives nor clones them. `open` is called now and again each time the worker is
   * restarted (a port dies with its worker); calling this again replaces the port. Returns a
   * function that stops forwarding.
   */
  forwardStored: (open: () => MessagePort) => () => void
  /** Journal rows not yet confirmed by InfluxDB (as of the worker's latest report). */
  readonly pending: number
  /** Read-only view for health checks: the backlog and the writer's contact with InfluxDB, as of the worker's latest report. */
  readonly status: IngestStatus
}


/** What {@link createIngest} needs from the process. */
export interface IngestDeps {
  log: Logger
  metrics: Registry
  community: Community
  /**
   * Wall clock in epoch ms (tests may pin it). The worker thread cannot call a function of this
   * thread: it runs on `Date.now()` shifted by this clock's offset at start.
   */
  now?: () => number
}

const STOP_FLUSH_MS = 5000
/** A worker that dies more often than this within RESTART_WINDOW_MS is not restarted again. */
const MAX_RESTARTS = 3
const RESTART_WINDOW_MS = 60_000
const WORKER_URL = new URL('./worker/ingest-worker.ts', import.meta.url)

interface Pending { resolve: () => void, reject: (err: Error) => void }
interface Group extends Pending { id: number, promise: Promise<void> }

function deferred (): { promise: Promise<void> } & Pending {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

const coded = (e: WireError): GangwanError => new GangwanError(e.code as ErrorCode, e.message)
const unavailable = (message: string): GangwanError => new GangwanError('GW_ERR_INGEST_UNAVAILABLE', message)

/**
 * Validation, deduplication and the durable journal behind the broker's PUBACK (DESIGN decision 4),
 * then batched writes to InfluxDB with ordered backfill after outages; all of it in a worker
 * thread, so the broker's thread only parses MQTT.
 *
 * Here, `accept` packs each message into the group of the current event-loop turn and returns the
 * group's one promise; a `setImmediate` posts the group to the worker as one message (buffers
 * transferred). The worker validates, journals and fsyncs, then answers "committed", and only then
 * is the promise resolved (and the broker acknowledges). While the worker commits one group the
 * next one fills here. A group the worker cannot make durable (commit error, worker death) is
 * rejected: the broker closes those connections unacknowledged and the clients resend.
 *
 * @example
 * const ingest = createIngest(ingestConfig({ journalPath, influx: { url, database: 'gangwan' } }), { log, metrics, community })
 * await ingest.start()
 * const broker = createBroker(brokerConfig(…), { log, metrics, credentials, sink: ingest.sink })
 */
export function createIngest (config: Readonly<IngestConfig>, deps: IngestDeps): Ingest {
  const log = deps.log.child({ component: 'ingest' })
  const now = deps.now ?? Date.now
  const listeners = new Set<(m: StoredMessage) => void>()
  let state: 'new' | 'running' | 'stopped' | 'failed' = 'new'
  let latest: Omit<WorkerState, 'delta'> = { pending: 0, lastId: 0, oldestReceivedAt: undefined, influx: { failingSince: undefined, lastOkAt: undefined } }
  const metrics = createIngestMetrics(deps.metrics, { pending: () => latest.pending, oldestReceivedAt: () => latest.oldestReceivedAt, now })
  const encoder = createGroupEncoder()
  let group: Group | undefined
  /** Groups posted to the worker and not answered yet, by id. */
  const posted = new Map<number, Group>()
  const drains = new Map<number, Pending>()
  let nextId = 1
  let worker: Worker | undefined
  let lifecycle: (Pending & { expect: 'ready' | 'stopped' }) | undefined
  const restarts: number[] = []
  let forwardOpen: (() => MessagePort) | undefined

  function apply (s: WorkerState): void {
    latest = s
    metrics.apply(s.delta)
    if (s.storeLatency !== undefined) metrics.storeLatency.setSamples(s.storeLatency)
  }

  function emit (stored: StoredMessage[]): void {
    let failed: unknown
    for (const t of stored) {
      for (const l of listeners) {
        try { l(t) } catch (err) { failed = err }
      }
    }
    if (failed !== undefined) log.error({ err: failed }, 'stored-message listener threw')
  }

  function settle (ids: number[], err?: Error): void {
    for (const id of ids) {
      const g = posted.get(id)
      if (g === undefined) continue
      posted.delete(id)
      if (err === undefined) g.resolve()
      else g.reject(err)
    }
  }

  function onMessage (m: FromWorker): void {
    switch (m.t) {
      case 'log': relayWorkerLog(log, m.line); return
      case 'committed':
        apply(m.state)
        settle(m.ids)
        if (m.stored !== undefined && listeners.size > 0) emit(m.stored)
        return
      case 'failed': apply(m.state); settle(m.ids, coded(m.error)); return
      case 'stats': apply(m.state); return
      case 'drained': {
        apply(m.state)
        const d = drains.get(m.id)
        drains.delete(m.id)
        if (m.error === undefined) d?.resolve()
        else d?.reject(coded(m.error))
        return
      }
      case 'ready':
      case 'stopped':
        apply(m.state)
        if (lifecycle?.expect === m.t) { lifecycle.resolve(); lifecycle = undefined }
        return
      case 'fatal': {
        const err = coded(m.error)
        if (lifecycle !== undefined) { lifecycle.reject(err); lifecycle = undefined } else fail(err)
        void worker?.terminate()
      }
    }
  }

  /** Refuses everything in flight: nothing the worker had not confirmed may be acknowledged. */
  function refuseInFlight (err: Error): void {
    settle([...posted.keys()], err)
    for (const d of drains.values()) d.reject(err)
    drains.clear()
  }

  function fail (err: Error): void {
    state = 'failed'
    log.fatal({ err }, 'ingest worker cannot run; every message is refused until the hub restarts')
    refuseInFlight(err)
    flush()
  }

  function spawn (): void {
    const forward = forwardOpen?.()
    const init: WorkerInit = { config, community: deps.community, logLevel: log.level, clockOffsetMs: now() - Date.now(), listen: listeners.size > 0, ...(forward !== undefined ? { forward } : {}) }
    const w = new Worker(WORKER_URL, { workerData: init, transferList: forward !== undefined ? [forward] : [], name: 'gangwan-ingest' })
    let error: Error | undefined
    w.on('message', onMessage)
    w.on('error', (err) => { error = err })
    w.on('exit', (code) => {
      if (w !== worker) return
      worker = undefined
      const err = unavailable(`ingest worker exited with code ${code}${error === undefined ? '' : `: ${error.message}`}`)
      if (lifecycle !== undefined) { lifecycle.reject(err); lifecycle = undefined }
      refuseInFlight(err)
      if (state !== 'running') return
      const t = Date.now()
      while (restarts.length > 0 && restarts[0]! < t - RESTART_WINDOW_MS) restarts.shift()
      if (restarts.length >= MAX_RESTARTS) { fail(err); return }
      restarts.push(t)
      log.error({ err: error ?? err }, 'ingest worker died; its unconfirmed messages were refused (clients resend); restarting it')
      spawn()
    })
    worker = w
  }

  function post (m: ToWorker, transfer?: (ArrayBuffer | MessagePort)[]): void {
    worker?.postMessage(m, transfer)
  }

  function flush (): void {
    const g = group
    if (g === undefined) return
    group = undefined
    const packed = encoder.take()
    if (worker === undefined || state === 'failed') { g.reject(unavailable('ingest worker is not running')); return }
    posted.set(g.id, g)
    post({ t: 'group', id: g.id, ...packed }, [packed.bytes, packed.ends.buffer as ArrayBuffer, packed.receivedAt.buffer as ArrayBuffer])
  }

  function accept (msg: InboundMessage): Promise<void> {
    if (state !== 'running') return Promise.reject(unavailable(state === 'failed' ? 'ingest worker failed' : 'ingest is not running'))
    let g = group
    if (g === undefined) {
      g = { id: nextId++, ...deferred() }
      group = g
      setImmediate(flush)
    }
    encoder.add(msg.topic, msg.payload, msg.receivedAt)
    return g.promise
  }

  function awaitLifecycle (expect: 'ready' | 'stopped'): Promise<void> {
    const d = deferred()
    lifecycle = { expect, resolve: d.resolve, reject: d.reject }
    return d.promise
  }

  return {
    sink: { accept },
    get pending () { return latest.pending },
    get status () { return ingestStatus(state, latest, now()) },
    async start () {
      if (state !== 'new') throw unavailable('an ingest starts once; create a new one')
      const ready = awaitLifecycle('ready')
      spawn()
      try {
        await ready
      } catch (err) {
        state = 'stopped'
        await worker?.terminate()
        throw err
      }
      state = 'running'
      log.info({ journal: config.journalPath, pending: latest.pending, sync: config.journalSync }, 'ingest started')
    },
    async stop () {
      const was = state
      state = 'stopped'
      const w = worker
      if (w === undefined) return
      if (was === 'running') {
        flush()
        const stopped = awaitLifecycle('stopped')
        post({ t: 'stop', graceMs: STOP_FLUSH_MS })
        await stopped.catch((err: unknown) => { log.error({ err }, 'ingest worker did not stop cleanly') })
      }
      worker = undefined
      await w.terminate()
      refuseInFlight(unavailable('ingest stopped'))
      if (was === 'running') log.info({ pending: latest.pending }, 'ingest stopped')
    },
    async drained () {
      if (state === 'new') return
      if (state !== 'running' || worker === undefined) {
        if (latest.pending === 0) return
        throw unavailable('ingest is not running')
      }
      flush()
      const id = nextId++
      const d = deferred()
      drains.set(id, d)
      post({ t: 'drain', id })
      await d.promise
    },
    onStored (listener) {
      listeners.add(listener)
      if (listeners.size === 1) post({ t: 'listen', on: true })
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) post({ t: 'listen', on: false })
      }
    },
    forwardStored (open) {
      forwardOpen = open
      if (worker !== undefined) {
        const port = open()
        post({ t: 'forward', port }, [port])
      }
      return () => {
        if (forwardOpen !== open) return
        forwardOpen = undefined
        post({ t: 'forward', port: null })
      }
    }
  }
}
