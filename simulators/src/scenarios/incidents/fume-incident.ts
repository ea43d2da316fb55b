import type { Community } from '@gangwan/contracts'
import { DEFAULT_MODEL_OPTIONS } from '../../kinds/device-model.ts'
import { isOpen, type FumeInjection } from '../../kinds/fume.ts'
import { clockHours } from '../../local-clock.ts'
import { type IncidentContext, type IncidentHandler, type PreparedIncident } from './incident-context.ts'

type FumeIncident = Parameters<IncidentHandler<'purifier_off'>>[0] | Parameters<IncidentHandler<'fume_exceedance'>>[0]
// A sustained exceedance is judged over whole samples, so it must hold by this much over the limit
// (the model's minute-to-minute wobble is a few per cent).
const MIN_EXCESS = 1.25

/** The end of the restaurant's opening within [atMs, untilMs), to the minute; fails when it is closed at `at`. */
function openUntil (r: Community['restaurants'][number], inc: FumeIncident, ctx: IncidentContext): number {
  const hours = r.openingHours.map((i) => [clockHours(i.open), clockHours(i.close)] as const)
  const open = (t: number): boolean => isOpen(hours, ctx.clock.hourOfDay(t))
  const when = r.openingHours.map((i) => `${i.open}–${i.close}`).join(', ')
  if (!open(inc.atMs)) ctx.fail('at', `restaurant "${r.id}" is closed then (open ${when}): no fan runs, no fume is discharged`)
  const end = Math.min(inc.untilMs, ctx.scenario.endMs)
  let t = inc.atMs
  while (t < end && open(t)) t = Math.min(end, t + 60_000)
  return t
}

/**
 * Cooking-fume incidents at `restaurant` during its opening hours, until `at + for` or closing
 * time, whichever is first (DOMAIN.md §3):
 * - `purifier_off`: the purifier is switched off while the fan runs, so its current reads 0 and
 *   the outlet carries the unpurified fume (1 ÷ (1 − the GB 18483-2001 minimum efficiency) times
 *   more, usually over the limit too): illegal discharge after `illegalDischargeSamples` samples;
 * - `fume_exceedance`: outlet fume held near `mgM3` (at least 1.25 × the restaurant's limit):
 *   a sustained exceedance after `exceedanceSamples` samples.
 *
 * @example fumeIncident(incident, ctx).injections[0].injection // { fromMs, untilMs, purifierOff: true }
 */
export const fumeIncident: IncidentHandler<'purifier_off' | 'fume_exceedance'> = (inc, ctx): PreparedIncident => {
  const r = ctx.community.restaurants.find((x) => x.id === inc.restaurant)
  if (r === undefined) return ctx.fail('restaurant', `no restaurant "${inc.restaurant}" in community "${ctx.community.id}"`)
  const devices = ctx.community.devices.filter((d) => d.kind === 'fume' && d.restaurant === r.id)
  if (devices.length === 0) ctx.fail('restaurant', `restaurant "${r.id}" has no fume monitor in the device inventory`)
  const settings = ctx.community.analytics.fume
  const samples = inc.type === 'purifier_off' ? settings.illegalDischargeSamples : settings.exceedanceSamples
  const injection: FumeInjection = { fromMs: inc.atMs, untilMs: inc.untilMs }
  if (inc.type === 'purifier_off') injection.purifierOff = true
  else {
    if (inc.mgM3 < MIN_EXCESS * r.fumeLimitMgM3) ctx.fail('mgM3', `must be at least ${MIN_EXCESS} × the limit of "${r.id}" (${r.fumeLimitMgM3} mg/m³)`)
    injection.fumeMgM3 = inc.mgM3
  }
  const endMs = openUntil(r, inc, ctx)
  // One sample more than the rule needs: the first report may fall just before `at`.
  const needMs = (samples + 1) * DEFAULT_MODEL_OPTIONS.fume.reportIntervalMs
  if (endMs - inc.atMs < needMs) {
    ctx.fail('for', `holds ${(endMs - inc.atMs) / 60_000} min in opening hours and the run; the rule needs ${samples} samples (${needMs / 60_000} min)`)
  }
  return {
    injections: devices.map((d) => ({ deviceId: d.id, injection })),
    faults: [],
    truth: {
      id: inc.id,
      type: inc.type,
      category: 'fume',
      lifeSafety: false,
      startMs: inc.atMs,
      endMs,
      match: { building: r.building, restaurant: r.id, devices: devices.map((d) => d.id) },
      expect: { ruleIds: [inc.type === 'purifier_off' ? 'fume.illegal-discharge' : 'fume.exceedance'], severity: 'P3' }
    }
  }
}
