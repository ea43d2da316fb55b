import type { NoiseTelemetry } from '@gangwan/contracts'
import { featureList, type FeatureSet } from './feature-set.ts'
import { createLocalHour } from './local-hour.ts'
import { LOSS_NAMES, lossStats, sanitize, SERIES_STATS_COUNT, seriesNames, seriesStats } from './series-stats.ts'

/** What the noise features need of a meter. */
export interface NoisePrepared {
  /** GB 3096-2008 Table 1 day limit of the meter's zone class, dB(A). */
  dayLimitDb: number
  localHour: (ms: number) => number
  intervalMs: number
}

const FEATURES = featureList(
  seriesNames('leq', 'Leq dB(A) minus the zone’s day limit (GB 3096-2008 Table 1), ÷ 10 dB'),
  [
    ['l90.slope', 'least-squares slope of L90 (the background) per hour ÷ 10 dB'],
    ['spread.maxMin', 'mean (Lmax − Lmin) ÷ 10 dB'],
    ['spread.l10l90', 'mean (L10 − L90) ÷ 10 dB'],
    ['spread.sd', 'standard deviation of (Leq − L50) ÷ 1 dB'],
    ['frozen', 'fraction of consecutive minutes with all six levels identical'],
    ['valid', 'fraction of minutes valid (not rain or wind, GB 3096-2008 Annex C)'],
    ['hour.sin', 'sin(2π · local hour of the last report ÷ 24)'],
    ['hour.cos', 'cos(2π · local hour of the last report ÷ 24)']
  ],
  LOSS_NAMES
)

const meanOf = (xs: readonly number[]): number => xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length

function slopePerHour (xs: readonly number[], ts: readonly number[]): number {
  const mx = meanOf(xs); const mt = meanOf(ts)
  let sxy = 0; let sxx = 0
  for (let i = 0; i < xs.length; i++) { const h = (ts[i]! - mt) / 3_600_000; sxy += h * (xs[i]! - mx); sxx += h * h }
  return sxx > 0 ? sxy / sxx : 0
}

/**
 * Outdoor noise meters (one-minute HJ 906/907-2017 statistics): 60 reports, a window every 5.
 * Sees a frozen meter, a drifting or spiking microphone (all six levels move together), and
 * dropped or zeroed minutes. The local hour lets the net tell a drift from the morning's rise.
 *
 * @example noiseFeatures.extract(last60, noiseFeatures.prepare(device)!) // Float32Array(19)
 */
export const noiseFeatures: FeatureSet<'noise', NoisePrepared> = {
  id: 'noise/v1',
  kind: 'noise',
  features: FEATURES,
  window: 60,
  stride: 5,
  prepare (dev) {
    const building = dev.community.buildings.find((b) => b.id === dev.device.building)
    const grid = dev.community.grids.find((g) => g.id === building?.grid)
    const zone = dev.device.zoneClass ?? grid?.zoneClass ?? '1'
    return {
      dayLimitDb: dev.settings.noise.limits[zone].day,
      localHour: createLocalHour(dev.community.timezone),
      intervalMs: dev.settings.health.reportIntervalMs.noise
    }
  },
  extract (msgs: readonly NoiseTelemetry[], p) {
    const out = new Float32Array(FEATURES.length)
    const ts = msgs.map((m) => m.ts)
    seriesStats(msgs.map((m) => m.leq), ts, 10, p.dayLimitDb, out, 0)
    let frozen = 0
    for (let i = 1; i < msgs.length; i++) {
      const a = msgs[i]!; const b = msgs[i - 1]!
      if (a.leq === b.leq && a.lmax === b.lmax && a.lmin === b.lmin && a.l10 === b.l10 && a.l50 === b.l50 && a.l90 === b.l90) frozen++
    }
    const d = msgs.map((m) => m.leq - m.l50)
    const dm = meanOf(d)
    const angle = (2 * Math.PI * p.localHour(ts[ts.length - 1] ?? 0)) / 24
    out.set([
      slopePerHour(msgs.map((m) => m.l90), ts) / 10,
      meanOf(msgs.map((m) => m.lmax - m.lmin)) / 10,
      meanOf(msgs.map((m) => m.l10 - m.l90)) / 10,
      Math.sqrt(meanOf(d.map((x) => (x - dm) ** 2))),
      msgs.length > 1 ? frozen / (msgs.length - 1) : 0,
      msgs.filter((m) => m.valid).length / msgs.length,
      Math.sin(angle), Math.cos(angle)
    ], SERIES_STATS_COUNT)
    lossStats(msgs, p.intervalMs, out, SERIES_STATS_COUNT + 8)
    return sanitize(out)
  }
}
