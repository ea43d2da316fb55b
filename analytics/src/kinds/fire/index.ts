import type { KindAnalytics } from '../../core/kind-analytics.ts'
import { createFireAnalyzer, FIRE_DEVICE_RULES } from './create-fire-analyzer.ts'
import { CONFIRMED_FIRE_RULE, createFireCorrelator } from './create-fire-correlator.ts'

export { createFireAnalyzer, FIRE_DEVICE_RULES } from './create-fire-analyzer.ts'
export { CONFIRMED_FIRE_RULE, createFireCorrelator } from './create-fire-correlator.ts'
export { createRateOfRise, type RateOfRise, type RateOfRiseWindow } from './rate-of-rise.ts'

/**
 * Fire (DOMAIN.md §1): per-detector pre-alarms (smoke, the detector's own alarm, fixed
 * temperature, rate of rise, manual call point, all P2) and health (fault, tamper, dirty chamber;
 * low battery is the health monitor's),
 * and the zone correlator that confirms a fire on two independent triggers (P1, GB 50116-2013
 * §4.1.6). Every threshold is `settings.fire`.
 *
 * @example
 * const analyzer = fireAnalytics.forDevice(ctx.device('B01-F12-S01') as DeviceContext<'fire'>)
 * const correlator = fireAnalytics.correlator!(ctx)
 * const signals = analyzer.observe(msg); correlator.accept(signals)
 */
export const fireAnalytics: KindAnalytics<'fire'> = {
  kind: 'fire',
  rules: [...FIRE_DEVICE_RULES.map((r) => r.info), CONFIRMED_FIRE_RULE],
  forDevice: (ctx) => createFireAnalyzer(ctx),
  correlator: (ctx) => createFireCorrelator(ctx)
}
