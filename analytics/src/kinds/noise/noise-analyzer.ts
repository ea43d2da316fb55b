import type { ZoneClass } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { Signal } from '../../core/signal.ts'
import { combineAnalyzers } from '../../core/no-signals.ts'
import { createLeqRule, NOISE_LEQ } from './leq-rule.ts'
import { createLocalClock } from '../../core/local-clock.ts'
import { createNightFrequentRule, NOISE_NIGHT_FREQUENT } from './night-frequent.ts'
import { createNightSuddenRule, NOISE_NIGHT_SUDDEN } from './night-sudden.ts'
import { createNoisePeriods } from './noise-periods.ts'
import { ruleSignals } from '../../core/rule-signal.ts'

/**
 * The GB 3096-2008 zone class a meter is judged by: its own `zoneClass` when the inventory sets
 * one (a meter on a road-side façade), otherwise its building's grid's.
 *
 * @example zoneClassOf(ctx) // '1'
 */
export function zoneClassOf (ctx: Pick<DeviceContext<'noise'>, 'device' | 'grid'>): ZoneClass {
  return ctx.device.zoneClass ?? ctx.grid.zoneClass
}

/**
 * The rules of one outdoor noise meter: windowed Leq against the zone's day or night limit, and
 * night sudden and frequent Lmax. Day and night follow the community's `noise` boundaries in its
 * `timezone`; minutes marked invalid (rain, wind) are left out of every rule.
 *
 * @example const a = createNoiseAnalyzer(ctx); a.observe(msg); a.tick(watermark)
 */
export function createNoiseAnalyzer (ctx: DeviceContext<'noise'>): DeviceAnalyzer<'noise'> {
  const s = ctx.settings.noise
  const zoneClass = zoneClassOf(ctx)
  const limits = s.limits[zoneClass]
  const periods = createNoisePeriods(createLocalClock(ctx.community.timezone), ctx.community.noise)
  const target = { id: ctx.device.id, kind: 'noise' as const, location: ctx.location }
  const rules: DeviceAnalyzer<'noise'>[] = [
    createLeqRule(ruleSignals(NOISE_LEQ, target), {
      periods, zoneClass, limits, windowMs: s.leqWindowMs, minValidFraction: s.minValidFraction, lateToleranceMs: s.lateToleranceMs
    }),
    createNightSuddenRule(ruleSignals(NOISE_NIGHT_SUDDEN, target), { periods, nightLimit: limits.night, excessDb: s.suddenExcessDb }),
    createNightFrequentRule(ruleSignals(NOISE_NIGHT_FREQUENT, target), {
      periods, nightLimit: limits.night, excessDb: s.frequentExcessDb, count: s.frequentCount, windowMs: s.frequentWindowMs
    })
  ]
  return { ...combineAnalyzers(rules) }
}
