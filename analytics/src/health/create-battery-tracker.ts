import type { AnalyticsSettings } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../core/no-signals.ts'
import { HEALTH_LOW_BATTERY } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

/** Watches battery levels reported in heartbeats and fire telemetry. */
export interface BatteryTracker {
  /** A reported level in % at measurement time `at`. */
  observe: (subject: HealthSubject, batteryPct: number, at: number) => Signal[]
}

/**
 * Low battery with hysteresis: raised below the threshold (fire detectors: `fire.lowBatteryPct`,
 * the site's fire setting that hands them to device health; others: `health.lowBatteryPct`),
 * cleared only at `health.batteryHysteresisPct` above it, so a cell whose voltage sags at night
 * and recovers by day does not open and clear an alert every day; in practice a replaced battery.
 *
 * @example
 * const battery = createBatteryTracker(ctx.settings, subjects)
 * battery.observe(subject, heartbeat.batteryPct, heartbeat.ts)
 */
export function createBatteryTracker (settings: AnalyticsSettings, subjects: HealthSubjects): BatteryTracker {
  const low = new Map<string, number>()
  return {
    observe (subject, pct, at) {
      const threshold = subject.kind === 'fire' ? settings.fire.lowBatteryPct : settings.health.lowBatteryPct
      const since = low.get(subject.id)
      if (since === undefined) {
        if (pct >= threshold) return NO_SIGNALS
        low.set(subject.id, at)
        return [subjects.raise(HEALTH_LOW_BATTERY, subject, {
          at,
          values: { batteryPct: pct, thresholdPct: threshold },
          fromMs: at,
          toMs: at,
          title: `Battery low (${pct} %): ${subject.id}`
        })]
      }
      if (pct < threshold + settings.health.batteryHysteresisPct) return NO_SIGNALS
      low.delete(subject.id)
      return [subjects.clear(HEALTH_LOW_BATTERY, subject.id, Math.max(at, since))]
    }
  }
}
