import type { KindAnalytics } from '../../core/kind-analytics.ts'
import { NOISE_LEQ } from './leq-rule.ts'
import { NOISE_NIGHT_FREQUENT } from './night-frequent.ts'
import { NOISE_NIGHT_SUDDEN } from './night-sudden.ts'
import { createNoiseAnalyzer } from './noise-analyzer.ts'

export { createNoiseAnalyzer, zoneClassOf } from './noise-analyzer.ts'
export { createNoisePeriods, type NoisePeriod, type NoisePeriods, type PeriodSpan } from './noise-periods.ts'
export { energyAverage, leq } from './leq.ts'
export { NOISE_LEQ, NOISE_NIGHT_FREQUENT, NOISE_NIGHT_SUDDEN }

/**
 * Outdoor noise analytics (GB 3096-2008; DOMAIN.md §4): windowed Leq per period and zone class,
 * night sudden and frequent noise.
 *
 * @example const analyzer = noiseAnalytics.forDevice(ctx); analyzer.observe(msg)
 */
export const noiseAnalytics: KindAnalytics<'noise'> = {
  kind: 'noise',
  rules: [NOISE_LEQ, NOISE_NIGHT_SUDDEN, NOISE_NIGHT_FREQUENT],
  forDevice: createNoiseAnalyzer
}
