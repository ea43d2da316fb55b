import type { MessagePort } from 'node:worker_threads'
import type { Alert } from '@gangwan/contracts'
import type { MetricObjectWithValues, MetricValueWithName } from 'prom-client'

/**
 * The messages between the main thread ({@link createAnalyticsThread}) and an analytics worker
 * thread ({@link serveAnalytics}). Structured-clone friendly. Observations do not pass here: they
 * arrive on source ports whose other end is another thread (the hub's ingest worker).
 */

/** What the worker is started with (`workerData`); `host` is whatever the entry module needs. */
export interface AnalyticsWorkerInit<H = unknown> {
  host: H
  /** The main logger's level; the worker's logger drops what the main one would drop. */
  logLevel: string
  /** Whether the main thread has alert listeners, so durable alerts are posted back. */
  alerts: boolean
  /** 0 for the first worker, then 1, 2, … for each restart. */
  incarnation: number
}

/** The worker's metrics as `Registry.getMetricsAsJSON()` lists them. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValueWithName<string>>[]

/** A coded error crossing the thread boundary. */
export interface WireError { code: string, message: string }

/** Main → worker. */
export type ToAnalyticsWorker =
  /** A port on which batches of stored messages arrive (transferred). */
  | { t: 'source', port: MessagePort }
  /** Replays stored telemetry (the entry's warm-up, given `prepared`), then starts reading the sources. */
  | { t: 'warm-up', id: number, prepared: unknown }
  | { t: 'flush', id: number }
  | { t: 'metrics', id: number }
  | { t: 'alerts', on: boolean }
  | { t: 'stop', id: number }

/** Worker → main. */
export type FromAnalyticsWorker =
  /** The queue is open, open alerts loaded, models loaded. */
  | { t: 'ready' }
  | { t: 'fatal', error: WireError }
  /** Answers warm-up, flush and stop (stop with the final metrics). */
  | { t: 'done', id: number, error?: WireError, snapshot?: MetricsSnapshot }
  | { t: 'metrics', id: number, snapshot: MetricsSnapshot }
  /** Alert versions once durable in the queue, only while `alerts` is on. */
  | { t: 'alerts', alerts: Alert[] }
  | { t: 'log', line: string }
