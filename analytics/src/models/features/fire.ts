import type { FireTelemetry } from '@gangwan/contracts'
import { featureList, type FeatureSet } from './feature-set.ts'
import { LOSS_NAMES, lossStats, sanitize, SERIES_STATS_COUNT, seriesNames, seriesStats } from './series-stats.ts'

/** What the fire features need of a detector. */
export interface FirePrepared {
  /** The site's smoke pre-alarm level, dB/m: smoke is measured in units of it. */
  smokeScaleDbM: number
  intervalMs: number
}

const FEATURES = featureList(
  [['hasSmoke', '1 when the detector reports smokeDbM (smoke, multi), else 0 (heat)']],
  seriesNames('smoke', 'smokeDbM ÷ the site smoke pre-alarm level (GB 4715-2024 §5.7 type A: 0.05 dB/m)'),
  // Indoor air sits near 20 °C and swings a few degrees a day: 10 °C is a comfortable unit.
  seriesNames('temp', 'temperatureC, offset 20 °C, ÷ 10 °C'),
  LOSS_NAMES
)

// The window's readings, reused by every extraction (it is synchronous): a window every 5
// reports of every detector is the busiest feature set of a community.
let smoke = new Float64Array(0)
let smokeTs = new Float64Array(0)
let temp = new Float64Array(0)
let tempTs = new Float64Array(0)
function grow (n: number): void {
  smoke = new Float64Array(n); smokeTs = new Float64Array(n); temp = new Float64Array(n); tempTs = new Float64Array(n)
}

/**
 * Fire detectors (smoke, heat, multi-sensor; not manual call points): 30 one-minute reports, a
 * window every 5. Sees a stuck, drifting, spiking or dropping-out smoke or temperature sensor, and
 * the slow accelerating smoke rise of a smouldering fire still under the pre-alarm level.
 *
 * @example fireFeatures.extract(last30, fireFeatures.prepare(device)!) // Float32Array(21)
 */
export const fireFeatures: FeatureSet<'fire', FirePrepared> = {
  id: 'fire/v1',
  kind: 'fire',
  features: FEATURES,
  window: 30,
  stride: 5,
  prepare (dev) {
    if (dev.device.detector === 'manual_call_point') return null
    return { smokeScaleDbM: dev.settings.fire.smokeDbM, intervalMs: dev.settings.health.reportIntervalMs.fire }
  },
  extract (msgs: readonly FireTelemetry[], p) {
    const out = new Float32Array(FEATURES.length)
    const n = msgs.length
    if (smoke.length < n) grow(n)
    let ns = 0; let nt = 0
    for (let i = 0; i < n; i++) {
      const m = msgs[i]!
      if (m.smokeDbM !== undefined) { smoke[ns] = m.smokeDbM; smokeTs[ns++] = m.ts }
      if (m.temperatureC !== undefined) { temp[nt] = m.temperatureC; tempTs[nt++] = m.ts }
    }
    out[0] = ns > 0 ? 1 : 0
    seriesStats(smoke, smokeTs, p.smokeScaleDbM, 0, out, 1, ns)
    seriesStats(temp, tempTs, 10, 20, out, 1 + SERIES_STATS_COUNT, nt)
    lossStats(msgs, p.intervalMs, out, 1 + 2 * SERIES_STATS_COUNT)
    return sanitize(out)
  }
}
