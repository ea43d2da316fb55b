import { Counter, Gauge, Histogram, Summary, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client'
import { DROP_REASONS, MESSAGE_KINDS, type DropReason, type MessageKind } from './classify/create-classifier.ts'
import type { StatsDelta, SummarySample } from './worker/protocol.ts'

/** Where the gauges read their values at scrape time. */
export interface IngestGaugeSources {
  pending: () => number
  oldestReceivedAt: () => number | undefined
  now: () => number
}

/** The ingest metrics (DESIGN decision 10), with label children bound once. */
export interface IngestMetrics {
  messages: Record<MessageKind, Counter.Internal>
  dropped: Record<DropReason, Counter.Internal>
  duplicates: Counter
  commandAcks: Counter
  batches: { ok: Counter.Internal; retry: Counter.Internal; rejected: Counter.Internal }
  writeDuration: Histogram
  pointsWritten: Counter
  pointsRejected: Counter
  storeLatency: RemoteSummary
  /** Adds the worker's counter increments and write durations. */
  apply: (delta: StatsDelta) => void
}

/**
 * A summary whose quantiles are computed in the ingest worker (one observation per stored
 * message stays off the main thread); the worker sends its samples with its state reports and
 * this metric exports the latest ones.
 */
export class RemoteSummary extends Summary {
  #samples: SummarySample[] | undefined

  /** Replaces the exported samples (quantiles, `_sum`, `_count`). */
  setSamples (samples: SummarySample[]): void { this.#samples = samples }

  override async get (): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const own = await super.get()
    return this.#samples === undefined ? own : { ...own, values: this.#samples as MetricValueWithName<string>[] }
  }
}

function add<K extends string> (into: Record<K, Counter.Internal>, delta: Partial<Record<K, number>>): void {
  for (const k in delta) {
    const n = delta[k]
    if (n !== undefined && n > 0) into[k].inc(n)
  }
}

/** Binds one child per label value and sets it to 0, so every series is exported from the start. */
function children<K extends string> (c: Counter, values: readonly K[]): Record<K, Counter.Internal> {
  const out = {} as Record<K, Counter.Internal>
  for (const v of values) {
    out[v] = c.labels(v)
    out[v].inc(0)
  }
  return out
}

function fresh<T> (registry: Registry, name: string, make: () => T): T {
  // A second ingest on the same registry (a restart inside one process) replaces the first's metrics.
  if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name)
  return make()
}

/**
 * Registers the ingest metrics on `registry` (in the main thread, where the process is scraped).
 * Buffer depth and write lag are computed at scrape time from the worker's latest report, so they
 * cost nothing per message.
 */
export function createIngestMetrics (registry: Registry, src: IngestGaugeSources): IngestMetrics {
  const registers = [registry]
  const messages = fresh(registry, 'gangwan_ingest_messages_total', () => new Counter({ name: 'gangwan_ingest_messages_total', help: 'Messages accepted and journaled, by kind', labelNames: ['kind'], registers }))
  const dropped = fresh(registry, 'gangwan_ingest_dropped_total', () => new Counter({ name: 'gangwan_ingest_dropped_total', help: 'Messages dropped (acknowledged but not stored), by reason', labelNames: ['reason'], registers }))
  const batches = fresh(registry, 'gangwan_influx_write_batches_total', () => new Counter({ name: 'gangwan_influx_write_batches_total', help: 'InfluxDB write requests, by result', labelNames: ['result'], registers }))
  fresh(registry, 'gangwan_ingest_buffer_depth', () => new Gauge({
    name: 'gangwan_ingest_buffer_depth', help: 'Journal rows not yet confirmed by InfluxDB', registers,
    collect () { this.set(src.pending()) }
  }))
  fresh(registry, 'gangwan_influx_write_lag_seconds', () => new Gauge({
    name: 'gangwan_influx_write_lag_seconds', help: 'Age of the oldest journal row not yet written to InfluxDB (0 when none)', registers,
    collect () {
      const oldest = src.oldestReceivedAt()
      this.set(oldest === undefined ? 0 : Math.max(0, (src.now() - oldest) / 1000))
    }
  }))
  const m: IngestMetrics = {
    messages: children(messages, MESSAGE_KINDS),
    dropped: children(dropped, DROP_REASONS),
    duplicates: fresh(registry, 'gangwan_ingest_duplicates_total', () => new Counter({ name: 'gangwan_ingest_duplicates_total', help: 'Messages dropped as duplicates of an earlier (device, seq)', registers })),
    commandAcks: fresh(registry, 'gangwan_ingest_command_acks_total', () => new Counter({ name: 'gangwan_ingest_command_acks_total', help: 'Command acknowledgements received (counted, not stored yet)', registers })),
    batches: children(batches, ['ok', 'retry', 'rejected'] as const),
    writeDuration: fresh(registry, 'gangwan_influx_write_duration_seconds', () => new Histogram({
      name: 'gangwan_influx_write_duration_seconds', help: 'Duration of InfluxDB write requests', registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    })),
    pointsWritten: fresh(registry, 'gangwan_ingest_points_written_total', () => new Counter({ name: 'gangwan_ingest_points_written_total', help: 'Points InfluxDB confirmed', registers })),
    pointsRejected: fresh(registry, 'gangwan_ingest_points_rejected_total', () => new Counter({ name: 'gangwan_ingest_points_rejected_total', help: 'Points of rejected batches moved to the dead_letter table', registers })),
    // Whole-run quantiles (no age buckets): an aged summary observes into every bucket and
    // measured 4.3 µs per observation against 1.5 µs, at ~27,000 observations a second. The
    // worker computes them with the same settings (worker/create-worker-stats.ts).
    storeLatency: fresh(registry, 'gangwan_ingest_store_latency_seconds', () => new RemoteSummary({
      name: 'gangwan_ingest_store_latency_seconds', help: 'Telemetry ts to InfluxDB write confirmation', registers,
      percentiles: [0.5, 0.9, 0.99]
    })),
    apply (d) {
      add(m.messages, d.messages)
      add(m.dropped, d.dropped)
      add(m.batches, d.batches)
      if (d.duplicates > 0) m.duplicates.inc(d.duplicates)
      if (d.commandAcks > 0) m.commandAcks.inc(d.commandAcks)
      if (d.pointsWritten > 0) m.pointsWritten.inc(d.pointsWritten)
      if (d.pointsRejected > 0) m.pointsRejected.inc(d.pointsRejected)
      for (const s of d.writeSeconds) m.writeDuration.observe(s)
    }
  }
  return m
}
