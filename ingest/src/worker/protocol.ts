import type { MessagePort } from 'node:worker_threads'
import type { Community } from '@gangwan/contracts'
import type { IngestConfig } from '../config.ts'
import type { DropReason, MessageKind, StoredMessage } from '../classify/create-classifier.ts'
import type { InfluxContact } from '../writer/create-influx-writer.ts'

/**
 * The messages between the main thread (broker, `createIngest`) and the ingest worker thread.
 * Structured-clone friendly: plain objects, typed arrays, and one ArrayBuffer per group that is
 * transferred, not copied.
 */

/** What the worker is started with (`workerData`). */
export interface WorkerInit {
  config: IngestConfig
  community: Community
  /** The main logger's level; the worker's logger drops what the main one would drop. */
  logLevel: string
  /** `deps.now() - Date.now()` at start: the worker's clock is `Date.now() + clockOffsetMs`. */
  clockOffsetMs: number
  /** Whether `onStored` listeners exist, so stored messages are posted back. */
  listen: boolean
  /** Where committed stored messages also go, straight from the worker (transferred with `workerData`). */
  forward?: MessagePort
}

/**
 * What the worker posts on the `forward` port after each commit that stored something: the
 * batch's stored messages in commit order (never an empty batch). The other end is another
 * thread (the hub's analytics worker), so the main thread neither receives nor clones them.
 */
export type ForwardedBatch = StoredMessage[]

/**
 * The messages one event-loop turn of the main thread accepted, packed: message `i` is
 * `bytes[ends[2i-1] .. ends[2i])` (its topic, UTF-8) then `bytes[ends[2i] .. ends[2i+1])` (its
 * payload), with `ends[-1] = 0`.
 */
export interface GroupMessage {
  t: 'group'
  id: number
  count: number
  bytes: ArrayBuffer
  ends: Uint32Array
  receivedAt: Float64Array
}

/** Main → worker. */
export type ToWorker =
  | GroupMessage
  | { t: 'listen', on: boolean }
  /** Replaces the forward port (the previous one is closed); null stops forwarding. */
  | { t: 'forward', port: MessagePort | null }
  | { t: 'drain', id: number }
  | { t: 'stop', graceMs: number }

/** Counter increments since the previous report. */
export interface StatsDelta {
  messages: Partial<Record<MessageKind, number>>
  dropped: Partial<Record<DropReason, number>>
  duplicates: number
  commandAcks: number
  batches: { ok: number, retry: number, rejected: number }
  pointsWritten: number
  pointsRejected: number
  /** Durations (s) of the InfluxDB write requests since the previous report. */
  writeSeconds: number[]
}

/** One exported sample of the store-latency summary, as prom-client's `Summary.get()` lists it. */
export interface SummarySample { labels: Record<string, string | number>, value: number, metricName?: string }

/** The worker's state as of the message that carries it; the main thread keeps the latest. */
export interface WorkerState {
  pending: number
  lastId: number
  /** `receivedAt` of the oldest pending journal row, epoch ms. */
  oldestReceivedAt: number | undefined
  /** The writer's last contact with InfluxDB. */
  influx: InfluxContact
  delta: StatsDelta
  /** The store-latency summary's samples, when they changed (computed in the worker). */
  storeLatency?: SummarySample[]
}

/** A coded error crossing the thread boundary. */
export interface WireError { code: string, message: string }

/** Worker → main. */
export type FromWorker =
  | { t: 'ready', state: WorkerState }
  | { t: 'fatal', error: WireError }
  | { t: 'committed', ids: number[], state: WorkerState, stored?: StoredMessage[] }
  | { t: 'failed', ids: number[], error: WireError, state: WorkerState }
  | { t: 'drained', id: number, state: WorkerState, error?: WireError }
  | { t: 'stats', state: WorkerState }
  | { t: 'stopped', state: WorkerState }
  | { t: 'log', line: string }
