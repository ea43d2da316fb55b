import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { DeviceContext } from '../../core/context.ts'
import type { Signal } from '../../core/signal.ts'
import { combineAnalyzers } from '../../core/no-signals.ts'
import { createLocalClock } from '../../core/local-clock.ts'
import { ruleSignals } from '../../core/rule-signal.ts'
import { createExceedanceRule, FUME_EXCEEDANCE } from './exceedance.ts'
import { createIllegalDischargeRule, FUME_ILLEGAL_DISCHARGE } from './illegal-discharge.ts'
import { openingHours } from './opening-hours.ts'
import { createProbeHealthRule, FUME_PROBE_FLAT, FUME_PROBE_IMPLAUSIBLE } from './probe-health.ts'
import { createUptimeRule, FUME_PURIFIER_UPTIME, type UptimeDay } from './purifier-uptime.ts'

/** A fume monitor's analyzer; `uptime()` gives its restaurant's purifier uptime per local day. */
export interface FumeAnalyzer extends DeviceAnalyzer<'fume'> {
  /** The current local day and up to seven before it, oldest first. */
  uptime: () => UptimeDay[]
}

/**
 * The rules of one fume monitor (one restaurant's exhaust duct): sustained exceedance of the
 * restaurant's limit, illegal discharge in opening hours, daily purifier uptime, probe health.
 * Throws at construction when the device's restaurant is not in the community (the community file
 * is validated, so that is a programming error).
 *
 * @example
 * const a = createFumeAnalyzer(ctx)
 * const signals = a.observe(msg)
 * a.uptime().at(-1)?.ratio // e.g. 0.97
 */
export function createFumeAnalyzer (ctx: DeviceContext<'fume'>): FumeAnalyzer {
  const { device, community, settings } = ctx
  const restaurant = community.restaurants.find((r) => r.id === device.restaurant)
  if (restaurant === undefined) throw new Error(`restaurant "${device.restaurant}" of fume monitor "${device.id}" is not in the community`)
  const clock = createLocalClock(community.timezone)
  const s = settings.fume
  const target = { id: device.id, kind: 'fume' as const, location: { ...ctx.location, restaurant: restaurant.id } }
  const uptime = createUptimeRule(ruleSignals(FUME_PURIFIER_UPTIME, target), {
    clock, minUptime: s.minPurifierUptime, minFanOnMs: s.minFanOnMs, maxSampleGapMs: s.maxSampleGapMs
  })
  const rules: DeviceAnalyzer<'fume'>[] = [
    createExceedanceRule(ruleSignals(FUME_EXCEEDANCE, target), restaurant.fumeLimitMgM3, s.exceedanceSamples),
    createIllegalDischargeRule(ruleSignals(FUME_ILLEGAL_DISCHARGE, target), openingHours(restaurant, clock), s.illegalDischargeSamples),
    uptime,
    createProbeHealthRule(ruleSignals(FUME_PROBE_FLAT, target), ruleSignals(FUME_PROBE_IMPLAUSIBLE, target), {
      flatLineSamples: settings.health.flatLineSamples, implausibleMgM3: s.implausibleMgM3, clearSamples: s.exceedanceSamples
    })
  ]
  return { ...combineAnalyzers(rules), uptime: uptime.uptime }
}
