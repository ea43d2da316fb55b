import type { KindAnalytics } from '../../core/kind-analytics.ts'
import { FUME_EXCEEDANCE } from './exceedance.ts'
import { createFumeAnalyzer } from './fume-analyzer.ts'
import { FUME_ILLEGAL_DISCHARGE } from './illegal-discharge.ts'
import { FUME_PROBE_FLAT, FUME_PROBE_IMPLAUSIBLE } from './probe-health.ts'
import { FUME_PURIFIER_UPTIME } from './purifier-uptime.ts'

export { createFumeAnalyzer, type FumeAnalyzer } from './fume-analyzer.ts'
export type { UptimeDay } from './purifier-uptime.ts'
export { FUME_EXCEEDANCE, FUME_ILLEGAL_DISCHARGE, FUME_PROBE_FLAT, FUME_PROBE_IMPLAUSIBLE, FUME_PURIFIER_UPTIME }

/**
 * Cooking-fume analytics (GB 18483-2001; DOMAIN.md §3). Each monitor's analyzer is a
 * {@link FumeAnalyzer}, whose `uptime()` reports the purifier uptime ratio per local day.
 *
 * @example const analyzer = fumeAnalytics.forDevice(ctx); analyzer.observe(msg)
 */
export const fumeAnalytics: KindAnalytics<'fume'> = {
  kind: 'fume',
  rules: [FUME_EXCEEDANCE, FUME_ILLEGAL_DISCHARGE, FUME_PURIFIER_UPTIME, FUME_PROBE_FLAT, FUME_PROBE_IMPLAUSIBLE],
  forDevice: createFumeAnalyzer
}
