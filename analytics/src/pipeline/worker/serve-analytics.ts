import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { ERROR_CODES, type Alert } from '@gangwan/contracts'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import type { Observation } from '../../core/observation.ts'
import type { Analytics } from '../create-analytics.ts'
import { createWorkerLogger } from './create-worker-logger.ts'
import type { AnalyticsWorkerInit, FromAnalyticsWorker, ToAnalyticsWorker, WireError } from './protocol.ts'

type TelemetryObservation = Extract<Observation, { type: 'telemetry' }>

/** What the worker's entry module builds: a started analytics and how to feed it. */
export interface AnalyticsHost<S> {
  /** Started (open alerts loaded, models loaded); its `metrics` must be the context's registry. */
  analytics: Analytics
  /** One message of a source port's batches as an observation. */
  toObservation: (m: S) => Observation
  /** Replays stored telemetry through `replay` before the sources are read (at every worker start). */
  warmUp?: (prepared: unknown, replay: (obs: TelemetryObservation) => void) => Promise<void>
  /** Releases what the entry opened (the dispatch queue), after `analytics.stop()`. */
  close: () => Promise<void>
}

/** What {@link serveAnalytics} hands the entry's `open`. */
export interface AnalyticsHostContext<H> {
  init: AnalyticsWorkerInit<H>
  log: Logger
  /** The worker's registry; the main thread relays it to the process's `/metrics`. */
  metrics: Registry
}

/** An error as the main thread rebuilds it: its project code if it has one. */
function wire (err: unknown): WireError {
  const code = (err as { code?: unknown }).code
  return { code: typeof code === 'string' && code in ERROR_CODES ? code : '', message: err instanceof Error ? err.message : String(err) }
}

/**
 * The analytics worker thread's side of {@link createAnalyticsThread}: `open` builds the host
 * (queue, analytics, models) and the worker reports `ready`, or `fatal` with the error's code.
 * Stored messages arrive on source ports straight from another thread, as arrays; they are held
 * until the warm-up (the replay of stored telemetry) is done, and a live telemetry message no
 * newer than what the replay saw of its device is taken as replayed already. Flush and stop
 * first take what the sources hold at that moment, so they cover everything posted before them.
 *
 * @example serveAnalytics(parentPort!, workerData, async ({ log, metrics }) => ({ analytics, toObservation, close }))
 */
export function serveAnalytics<H, S> (port: MessagePort, init: AnalyticsWorkerInit<H>, open: (ctx: AnalyticsHostContext<H>) => Promise<AnalyticsHost<S>>): void {
  const post = (m: FromAnalyticsWorker): void => { port.postMessage(m) }
  const log = createWorkerLogger(init.logLevel, (line) => { post({ t: 'log', line }) })
  const metrics = new Registry()
  let host: AnalyticsHost<S> | undefined
  let alertsOn = init.alerts
  let outbox: Alert[] = []
  let live = false
  const sources = new Set<MessagePort>()
  const waiting: MessagePort[] = []
  /** Per device, the latest `ts` the warm-up replayed. */
  const replayed = new Map<string, number>()

  function observe (batch: S[]): void {
    const h = host!
    for (const m of batch) {
      const obs = h.toObservation(m)
      if (obs.type === 'telemetry' && replayed.size > 0) {
        const seen = replayed.get(obs.device)
        if (seen !== undefined) {
          if (obs.msg.ts <= seen) continue
          replayed.delete(obs.device)
        }
      }
      h.analytics.observe(obs)
    }
  }

  function listen (p: MessagePort): void {
    sources.add(p)
    p.on('message', observe)
    p.once('close', () => { sources.delete(p) })
  }

  function takeSources (): void {
    for (const p of sources) {
      for (let m = receiveMessageOnPort(p); m !== undefined; m = receiveMessageOnPort(p)) observe(m.message as S[])
    }
  }

  function sendAlerts (): void {
    const alerts = outbox
    outbox = []
    if (alerts.length > 0) post({ t: 'alerts', alerts })
  }

  async function answer (id: number, work: (h: AnalyticsHost<S>) => Promise<void>): Promise<void> {
    try {
      if (host !== undefined) await work(host)
      sendAlerts()
      post({ t: 'done', id })
    } catch (err) {
      post({ t: 'done', id, error: wire(err) })
    }
  }

  async function warmUp (h: AnalyticsHost<S>, prepared: unknown): Promise<void> {
    await h.warmUp?.(prepared, (obs) => {
      const seen = replayed.get(obs.device)
      if (seen === undefined || obs.msg.ts > seen) replayed.set(obs.device, obs.msg.ts)
      h.analytics.replay(obs)
    })
    live = true
    for (const p of waiting.splice(0)) listen(p)
  }

  async function stop (id: number): Promise<void> {
    try {
      if (host !== undefined) {
        takeSources()
        for (const p of sources) p.close()
        await host.analytics.stop()
        sendAlerts()
        await host.close()
      }
      post({ t: 'done', id, snapshot: await metrics.getMetricsAsJSON() })
    } catch (err) {
      post({ t: 'done', id, error: wire(err) })
    }
  }

  port.on('message', (m: ToAnalyticsWorker) => {
    switch (m.t) {
      case 'source':
        if (live) listen(m.port)
        else waiting.push(m.port)
        return
      case 'warm-up': void answer(m.id, async (h) => { await warmUp(h, m.prepared) }); return
      case 'flush': void answer(m.id, async (h) => { takeSources(); await h.analytics.flush() }); return
      case 'metrics': void metrics.getMetricsAsJSON().then((snapshot) => { post({ t: 'metrics', id: m.id, snapshot }) }); return
      case 'alerts': alertsOn = m.on; return
      case 'stop': void stop(m.id)
    }
  })

  open({ init, log, metrics }).then((h) => {
    host = h
    h.analytics.onAlert((a) => {
      if (!alertsOn) return
      outbox.push(a)
      if (outbox.length === 1) setImmediate(sendAlerts)
    })
    post({ t: 'ready' })
  }, (err: unknown) => {
    post({ t: 'fatal', error: wire(err) })
  })
}
