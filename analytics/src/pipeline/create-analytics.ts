import type { Alert, AlertSink, Community, DeviceKind, Telemetry } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS, type AlertBook, type AlertBookOptions } from '../core/create-alert-book.ts'
import { createCommunityContext } from '../core/create-community-context.ts'
import { createWatermark } from '../core/create-watermark.ts'
import type { CommunityContext, DeviceContext } from '../core/context.ts'
import type { Correlator, DeviceAnalyzer } from '../core/kind-analytics.ts'
import type { Observation } from '../core/observation.ts'
import type { Signal } from '../core/signal.ts'
import { createHealthMonitor } from '../health/create-health-monitor.ts'
import { KIND_ANALYTICS, type AnyKindAnalytics } from '../kinds/index.ts'
import { createAnalyticsMetrics } from './analytics-metrics.ts'
import { createAlertWriter } from './create-alert-writer.ts'

/** The anomaly-model stage as the pipeline uses it (see models/create-anomaly-stage.ts). */
export interface AnomalyStageLike {
  observe: (device: DeviceContext<DeviceKind>, msg: Telemetry) => void
  drain: () => Promise<void>
  close: () => Promise<void>
}

/** Options of {@link createAnalytics}; durations in measurement time, ms. */
export interface AnalyticsOptions {
  /** How often timers run (trapped passenger, offline, debounce), on the measurement clock. */
  tickEveryMs?: number
  book?: Partial<Omit<AlertBookOptions, 'now'>>
  /** Device kinds and their rules; all five by default. */
  kinds?: readonly AnyKindAnalytics[]
}

/** What {@link createAnalytics} needs from its host (the hub, or its own process). */
export interface AnalyticsDeps {
  community: Community
  log: Logger
  sink: AlertSink
  metrics?: Registry
  /** Wall clock for `detectedAt` and latency. */
  now?: () => number
  /** Builds the anomaly-model stage once the context exists; absent: rules only. */
  anomaly?: (ctx: CommunityContext, onSignals: (signals: Signal[]) => void) => Promise<AnomalyStageLike>
  /** Called with alerts detected but not yet handed to the queue (tests kill the process here). */
  afterDetect?: (alerts: readonly Alert[]) => void
}

/** The running analytics core. */
export interface Analytics {
  /** Loads the alerts still open in the queue and starts the model stage. */
  start: () => Promise<void>
  /** Feeds one observation; alerts reach the queue asynchronously, in order. */
  observe: (obs: Observation) => void
  /**
   * Feeds stored telemetry again at start (rebuilding windows, re-deriving alerts a crash kept
   * from the queue). Device health is left out: replayed arrival times say nothing of the devices.
   */
  replay: (obs: Extract<Observation, { type: 'telemetry' }>) => void
  /** Resolves once everything observed so far has run through the models and its alerts are in the queue. */
  flush: () => Promise<void>
  stop: () => Promise<void>
  /** Alert versions once durable in the queue (for live streams). Returns an unsubscribe function. */
  onAlert: (listener: (alert: Alert) => void) => () => void
  /** The measurement clock (epoch ms). */
  readonly watermark: number
}

/**
 * The analytics pipeline: per-device analyzers (each kind's rules), each kind's correlator,
 * the health monitor and the anomaly models turn observations into signals; the alert book turns
 * signals into alert versions; the writer puts them into the dispatch queue in order, retrying
 * until it succeeds. Everything runs on measurement time (the watermark), never on the wall clock,
 * so a scenario replayed faster raises the same alerts at the same simulated moments.
 *
 * @example
 * const analytics = createAnalytics({}, { community, log, sink: queue })
 * await analytics.start()
 * ingest.onStored((m) => analytics.observe(toObservation(m)))
 */
export function createAnalytics (options: AnalyticsOptions, deps: AnalyticsDeps): Analytics {
  const log = deps.log.child({ component: 'analytics' })
  const now = deps.now ?? Date.now
  const tickEveryMs = options.tickEveryMs ?? 1000
  const kinds = new Map<DeviceKind, AnyKindAnalytics>((options.kinds ?? KIND_ANALYTICS).map((k) => [k.kind, k]))
  const ctx = createCommunityContext(deps.community, log)
  const metrics = createAnalyticsMetrics(deps.metrics)
  const watermark = createWatermark()
  /** Each device's analyzer with its context, built on its first message; null: no rules for it. */
  const analyzers = new Map<string, { a: DeviceAnalyzer<DeviceKind>, dc: DeviceContext<DeviceKind> } | null>()
  const ticking: DeviceAnalyzer<DeviceKind>[] = []
  const correlators = new Map<DeviceKind, Correlator>()
  for (const k of kinds.values()) if (k.correlator) correlators.set(k.kind, k.correlator(ctx))
  const health = createHealthMonitor(ctx)
  const writer = createAlertWriter({ sink: deps.sink, log, now, metrics })
  let book: AlertBook = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, ...options.book, now })
  let anomaly: AnomalyStageLike | undefined
  let nextTick = 0
  /** Wall time the observation being processed arrived: what its alerts' latency is measured from. */
  let cause = 0

  function analyzer (id: string): { a: DeviceAnalyzer<DeviceKind>, dc: DeviceContext<DeviceKind> } | null {
    let e = analyzers.get(id)
    if (e === undefined) {
      const dc = ctx.device(id)
      const kind = dc && kinds.get(dc.device.kind)
      e = kind && dc ? { a: kind.forDevice(dc as never) as DeviceAnalyzer<DeviceKind>, dc } : null
      analyzers.set(id, e)
      if (e?.a.tick) ticking.push(e.a)
    }
    return e
  }

  function emit (signals: readonly Signal[]): void {
    if (signals.length === 0) return
    const alerts: Alert[] = []
    for (const s of signals) for (const a of book.apply(s)) alerts.push(a)
    out(alerts)
  }

  function out (alerts: Alert[]): void {
    if (alerts.length === 0) return
    deps.afterDetect?.(alerts)
    writer.push(alerts, cause)
  }

  function tick (to: number): void {
    while (nextTick <= to) {
      const t = nextTick
      nextTick += tickEveryMs
      const signals: Signal[] = []
      for (const a of ticking) signals.push(...a.tick!(t))
      for (const c of correlators.values()) {
        if (c.tick) signals.push(...c.tick(t))
      }
      signals.push(...health.tick(t))
      emit(signals)
      out(book.tick(t))
    }
  }

  function telemetry (device: string, msg: Telemetry): void {
    const e = analyzer(device)
    if (e === null) {
      metrics.unknownDevice()
      return
    }
    const signals = e.a.observe(msg as never)
    emit(signals)
    // The correlator sees this device's signals (it returns only its own, e.g. a confirmed fire).
    const c = correlators.get(msg.kind)
    if (c && signals.length > 0) emit(c.accept(signals))
    if (anomaly) anomaly.observe(e.dc, msg)
  }

  function advance (device: string, ts: number): void {
    const w = watermark.advance(device, ts)
    if (nextTick === 0) nextTick = Math.floor(w / tickEveryMs) * tickEveryMs + tickEveryMs
    if (w >= nextTick) tick(w)
  }

  return {
    get watermark () { return watermark.now },
    async start () {
      const open = await deps.sink.open()
      book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, ...options.book, now }, open)
      if (deps.anomaly) anomaly = await deps.anomaly(ctx, (signals) => emit(signals))
      log.info({ openAlerts: open.length, kinds: [...kinds.keys()], models: anomaly !== undefined }, 'analytics started')
    },
    replay (obs) {
      cause = obs.receivedAt
      metrics.observation('replay')
      try {
        telemetry(obs.device, obs.msg)
        advance(obs.device, obs.msg.ts)
      } catch (err) {
        metrics.error()
        log.error({ err, device: obs.device }, 'analytics failed on a replayed message')
      }
    },
    observe (obs) {
      cause = obs.receivedAt
      metrics.observation(obs.type)
      try {
        emit(health.observe(obs))
        if (obs.type === 'telemetry') {
          telemetry(obs.device, obs.msg)
          advance(obs.device, obs.msg.ts)
        } else if (obs.type === 'heartbeat') {
          advance(obs.device ?? obs.client, obs.heartbeat.ts)
        }
      } catch (err) {
        // A rule that throws on one message must not stop the others: log, count, go on.
        metrics.error()
        log.error({ err, device: obs.type === 'telemetry' ? obs.device : obs.client }, 'analytics failed on an observation')
      }
    },
    async flush () {
      await anomaly?.drain()
      await writer.flush()
    },
    async stop () {
      await anomaly?.drain()
      await anomaly?.close()
      await writer.flush()
    },
    onAlert: (listener) => writer.onAlert(listener)
  }
}
