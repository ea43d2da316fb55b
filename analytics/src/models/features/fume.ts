import type { FumeTelemetry } from '@gangwan/contracts'
import { featureList, type FeatureSet } from './feature-set.ts'
import { LOSS_NAMES, lossStats, sanitize, SERIES_STATS_COUNT, seriesNames, seriesStats } from './series-stats.ts'

/** What the fume features need of a monitor. */
export interface FumePrepared {
  /** The restaurant's emission limit, mg/m³ (GB 18483-2001: 2.0; stricter local limits 1.0). */
  limitMgM3: number
  intervalMs: number
}

const SHORT = ['level', 'slope', 'repeats', 'spike', 'zeros', 'jump'] as const
const shortNames = (prefix: string, what: string): [string, string][] =>
  SHORT.map((n) => [`${prefix}.${n}`, `${what}: ${n} as in the fume series statistics`])

const FEATURES = featureList(
  [
    ['fanOn', 'fraction of reports with the exhaust fan on'],
    ['purifierOffFanOn', 'fraction of reports with the fan on and the purifier off'],
    ['currentRatio.mean', 'mean purifierCurrentA ÷ fanCurrentA over reports with both on (≈ 0.27 for a sound purifier sized to its fan)'],
    ['currentRatio.slope', 'least-squares slope of that ratio per hour'],
    ['currentRatio.sd', 'standard deviation of that ratio'],
    ['particulateRatio.mean', 'mean particulateMgM3 ÷ max(fumeMgM3, 5 % of the limit) with the fan on'],
    ['particulateRatio.sd', 'standard deviation of that ratio']
  ],
  seriesNames('fume', 'fumeMgM3 ÷ the restaurant limit'),
  shortNames('particulate', 'particulateMgM3 ÷ the limit'),
  shortNames('nmhc', 'nmhcMgM3 ÷ 10 mg/m³ (Beijing DB11/1488-2018 NMHC limit)'),
  shortNames('fanCurrent', 'fanCurrentA ÷ 10 A'),
  shortNames('purifierCurrent', 'purifierCurrentA ÷ 2 A'),
  LOSS_NAMES
)

function meanSdSlope (xs: readonly number[], ts: readonly number[]): [number, number, number] {
  const n = xs.length
  if (n === 0) return [0, 0, 0]
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const mh = ts.reduce((a, b) => a + b, 0) / n
  let sxy = 0; let sxx = 0; let ss = 0
  for (let i = 0; i < n; i++) {
    const h = (ts[i]! - mh) / 3_600_000
    sxy += h * (xs[i]! - mx); sxx += h * h; ss += (xs[i]! - mx) ** 2
  }
  return [mx, Math.sqrt(ss / n), sxx > 0 ? sxy / sxx : 0]
}

// Where the SHORT statistics sit in the full series statistics.
const SHORT_AT = [0, 1, 4, 6, 7, 8]

/** Writes 6 of the full series statistics (level, slope, repeats, spike, zeros, jump) of `xs`. */
function shortStats (xs: readonly number[], ts: readonly number[], scale: number, out: Float32Array, at: number): void {
  const full = new Float32Array(SERIES_STATS_COUNT)
  seriesStats(xs, ts, scale, 0, full, 0)
  SHORT_AT.forEach((k, i) => { out[at + i] = full[k]! })
}

/**
 * Restaurant fume monitors (HJ 212-2017 style readings): 30 one-minute reports, a window every 5.
 * Sees stuck, drifting, spiking or dropping-out concentration and current sensors, and a purifier
 * losing efficiency: its current falling against the fan's while outlet fume creeps up, under the limit.
 *
 * @example fumeFeatures.extract(last30, fumeFeatures.prepare(device)!) // Float32Array(42)
 */
export const fumeFeatures: FeatureSet<'fume', FumePrepared> = {
  id: 'fume/v1',
  kind: 'fume',
  features: FEATURES,
  window: 30,
  stride: 5,
  prepare (dev) {
    const r = dev.community.restaurants.find((x) => x.id === dev.device.restaurant)
    if (r === undefined) return null
    return { limitMgM3: r.fumeLimitMgM3, intervalMs: dev.settings.health.reportIntervalMs.fume }
  },
  extract (msgs: readonly FumeTelemetry[], p) {
    const out = new Float32Array(FEATURES.length)
    const ts = msgs.map((m) => m.ts)
    const on = msgs.filter((m) => m.fanOn)
    const both = on.filter((m) => m.purifierOn && m.fanCurrentA > 0)
    const ratio = both.map((m) => m.purifierCurrentA / m.fanCurrentA)
    const [rm, rsd, rslope] = meanSdSlope(ratio, both.map((m) => m.ts))
    const part = on.map((m) => m.particulateMgM3 / Math.max(m.fumeMgM3, 0.05 * p.limitMgM3))
    const [pm, psd] = meanSdSlope(part, on.map((m) => m.ts))
    out.set([on.length / msgs.length, (on.length - on.filter((m) => m.purifierOn).length) / msgs.length, rm, rslope, rsd, pm, psd])
    let at = 7
    seriesStats(msgs.map((m) => m.fumeMgM3), ts, p.limitMgM3, 0, out, at); at += SERIES_STATS_COUNT
    shortStats(msgs.map((m) => m.particulateMgM3), ts, p.limitMgM3, out, at); at += SHORT.length
    shortStats(msgs.map((m) => m.nmhcMgM3), ts, 10, out, at); at += SHORT.length
    shortStats(msgs.map((m) => m.fanCurrentA), ts, 10, out, at); at += SHORT.length
    shortStats(msgs.map((m) => m.purifierCurrentA), ts, 2, out, at); at += SHORT.length
    lossStats(msgs, p.intervalMs, out, at)
    return sanitize(out)
  }
}
