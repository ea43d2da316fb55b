import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Alert } from '@gangwan/contracts'
import type { Observation } from '../core/observation.ts'

/** The analytics counters, bound to one registry. */
export interface AnalyticsMetrics {
  observation: (type: Observation['type'] | 'replay') => void
  stored: (alert: Alert, latencyS: number) => void
  depth: (n: number) => void
  putFailed: () => void
  unknownDevice: () => void
  error: () => void
}

/** One analytics metric as Prometheus exports it (what a thread relaying them registers). */
export interface AnalyticsMetricDef {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
}

const DEFS = {
  observations: { name: 'gangwan_analytics_observations_total', help: 'Observations analysed, by type', type: 'counter' },
  raised: { name: 'gangwan_alerts_raised_total', help: 'Alerts opened, by category and severity', type: 'counter' },
  versions: { name: 'gangwan_alert_versions_total', help: 'Alert versions put into the dispatch queue', type: 'counter' },
  latency: { name: 'gangwan_alert_latency_seconds', help: 'Time from the device message reaching the broker to its alert being durable in the dispatch queue', type: 'histogram' },
  failures: { name: 'gangwan_alert_queue_put_failures_total', help: 'Failed puts into the dispatch queue (retried)', type: 'counter' },
  pending: { name: 'gangwan_analytics_pending_alerts', help: 'Alert versions detected and not yet in the dispatch queue', type: 'gauge' },
  unknown: { name: 'gangwan_analytics_unknown_devices_total', help: 'Telemetry of devices analytics has no inventory entry or rules for', type: 'counter' },
  errors: { name: 'gangwan_analytics_errors_total', help: 'Observations a rule failed on (logged)', type: 'counter' }
} as const satisfies Record<string, AnalyticsMetricDef>

/** Every metric {@link createAnalyticsMetrics} registers. */
export const ANALYTICS_METRICS: readonly AnalyticsMetricDef[] = Object.values(DEFS)

const def = (d: AnalyticsMetricDef): { name: string, help: string } => ({ name: d.name, help: d.help })

/**
 * `gangwan_analytics_observations_total{type}`, `gangwan_alerts_raised_total{category,severity}`,
 * `gangwan_alert_versions_total`, `gangwan_alert_latency_seconds` (device message arrival → alert
 * durable in the dispatch queue), `gangwan_alert_queue_put_failures_total`,
 * `gangwan_analytics_pending_alerts`, `gangwan_analytics_errors_total`.
 *
 * @example const m = createAnalyticsMetrics(registry); m.observation('telemetry')
 */
export function createAnalyticsMetrics (registry?: Registry): AnalyticsMetrics {
  const registers = [registry ?? new Registry()]
  const observations = new Counter({ ...def(DEFS.observations), labelNames: ['type'], registers })
  const raised = new Counter({ ...def(DEFS.raised), labelNames: ['category', 'severity'], registers })
  const versions = new Counter({ ...def(DEFS.versions), registers })
  const latency = new Histogram({ ...def(DEFS.latency), buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20], registers })
  const failures = new Counter({ ...def(DEFS.failures), registers })
  const pending = new Gauge({ ...def(DEFS.pending), registers })
  const unknown = new Counter({ ...def(DEFS.unknown), registers })
  const errors = new Counter({ ...def(DEFS.errors), registers })
  // Label children bound once: one per observation, a labelled inc() would hash its labels each time.
  const byType = { telemetry: observations.labels('telemetry'), status: observations.labels('status'), heartbeat: observations.labels('heartbeat'), replay: observations.labels('replay') }
  return {
    observation: (type) => { byType[type].inc() },
    stored (alert, latencyS) {
      versions.inc()
      if (alert.version === 1) {
        raised.inc({ category: alert.category, severity: alert.severity })
        latency.observe(Math.max(0, latencyS))
      }
    },
    depth: (n) => pending.set(n),
    putFailed: () => failures.inc(),
    unknownDevice: () => unknown.inc(),
    error: () => errors.inc()
  }
}
