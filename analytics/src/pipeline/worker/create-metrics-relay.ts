import type { Metric, MetricValueWithName, Registry } from 'prom-client'
import type { AnalyticsMetricDef } from '../analytics-metrics.ts'
import type { MetricsSnapshot } from './protocol.ts'

/** The main thread's side of metrics counted in a worker thread. */
export interface MetricsRelay {
  /**
   * The worker ended: its counts (the final snapshot, else the latest pulled) stay as the base the
   * next worker's counts add to, so counters and histograms never go backwards. Gauges restart.
   */
  fold: (final?: MetricsSnapshot) => void
}

/** A scrape waits at most this long for the worker, then shows the latest snapshot it has. */
const PULL_TIMEOUT_MS = 1000

type Values = MetricValueWithName<string>[]

const keyOf = (v: MetricValueWithName<string>): string =>
  `${v.metricName ?? ''}|${Object.entries(v.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, l]) => `${k}=${String(l)}`).join(',')}`

/** Adds series by series (same metric name and labels; histogram buckets included). */
function sum (a: Values, b: Values): Values {
  const out = new Map<string, MetricValueWithName<string>>()
  for (const v of [...a, ...b]) {
    const k = keyOf(v)
    const prev = out.get(k)
    out.set(k, prev === undefined ? { ...v } : { ...prev, value: prev.value + v.value })
  }
  return [...out.values()]
}

async function withTimeout<T> (p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`no metrics from the worker within ${ms} ms`)) }, ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Registers `defs` on the main thread's `registry` as metrics whose values live in a worker: a
 * scrape pulls one snapshot (`Registry.getMetricsAsJSON()` of the worker's own registry, shared by
 * all the metrics of that scrape) and exports it plus what earlier workers counted. Nothing crosses
 * between threads unless `/metrics` is scraped, and the exported values are as fresh as the scrape.
 * A worker that dies between scrapes takes the counts since the last one with it.
 *
 * @example const relay = createMetricsRelay(registry, ANALYTICS_METRICS, () => ask({ t: 'metrics' }))
 */
export function createMetricsRelay (registry: Registry, defs: readonly AnalyticsMetricDef[], pull: () => Promise<MetricsSnapshot> | undefined): MetricsRelay {
  let latest: MetricsSnapshot | undefined
  let inflight: Promise<MetricsSnapshot | undefined> | undefined
  const base = new Map<string, Values>()

  async function pullOnce (): Promise<MetricsSnapshot | undefined> {
    const p = pull()
    if (p !== undefined) {
      try { latest = await withTimeout(p, PULL_TIMEOUT_MS) } catch { /* keep the latest snapshot */ }
    }
    return latest
  }

  function current (): Promise<MetricsSnapshot | undefined> {
    inflight ??= pullOnce().finally(() => { inflight = undefined })
    return inflight
  }

  for (const d of defs) {
    // A second relay on the same registry (a new hub in one process) replaces the first's metrics.
    if (registry.getSingleMetric(d.name) !== undefined) registry.removeSingleMetric(d.name)
    const mirror = {
      name: d.name,
      help: d.help,
      type: d.type,
      aggregator: 'sum',
      async get () {
        const own = (await current())?.find((m) => m.name === d.name)?.values ?? []
        const values = d.type === 'gauge' ? own : sum(base.get(d.name) ?? [], own)
        return { name: d.name, help: d.help, type: d.type, aggregator: 'sum', values }
      },
      reset () {}
    }
    // Duck-typed: prom-client's registry only calls get() (and reset()) on what it holds.
    registry.registerMetric(mirror as unknown as Metric)
  }

  return {
    fold (final) {
      const snapshot = final ?? latest
      latest = undefined
      if (snapshot === undefined) return
      for (const d of defs) {
        if (d.type === 'gauge') continue
        const values = snapshot.find((m) => m.name === d.name)?.values ?? []
        base.set(d.name, sum(base.get(d.name) ?? [], values))
      }
    }
  }
}
