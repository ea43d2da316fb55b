import { NOT_HOLDING, round, type FireRule } from './fire-rule.ts'

/**
 * Dirty chamber (DOMAIN.md §1, "dirty chamber (drift)"): dust in a photoelectric chamber scatters
 * light like smoke, so its clean-air reading creeps up towards the GB 4715-2024 §5.7 response
 * level until the detector false-alarms. The clean-air reading is a low percentile of the
 * detector's own readings over `dirtyChamberWindowMs` (chamber-baseline.ts), which short smoke
 * bursts and fires (left out: readings in alarm or at the pre-alarm level) do not move. Raised
 * once it has risen `dirtyChamberRiseDbM` over the cleanest the hub has seen of the chamber, or
 * stands at `dirtyChamberShare` × `smokeDbM` (dirty before the hub first saw it); cleared under
 * `clearRatio` × both (the chamber cleaned). Maintenance, not a fire: device health, P4. Smoke
 * that lingers under the pre-alarm level for most of the window (a smouldering fire) lifts it
 * too: the smoke rules and the anomaly model's smoulder class (fire, P3) judge that as fire.
 */
export const DIRTY_CHAMBER_RULE: FireRule = {
  info: {
    id: 'fire.dirty_chamber',
    version: '1',
    category: 'device_health',
    severity: 'P4',
    clause: 'DOMAIN.md §1 dirty chamber (drift); GB 4715-2024 §5.7 response threshold the clean-air reading creeps towards (levels *verify*)',
    title: 'Smoke detector chamber dirty',
    description: 'A smoke or multi-sensor detector whose clean-air reading (the `dirtyChamberPercentile` of its ' +
      'readings over `dirtyChamberWindowMs`, leaving out readings in alarm or at `smokeDbM` and over) ' +
      'has risen `dirtyChamberRiseDbM` over the lowest seen of it, or is at `dirtyChamberShare` × `smokeDbM` or more. ' +
      'Short smoke bursts and fires do not move it; dust does (so does smoke lingering under the pre-alarm level for most ' +
      'of the window). Cleared under `clearRatio` × both (cleaned).'
  },
  appliesTo: (device) => device.detector === 'smoke' || device.detector === 'multi',
  usesChamber: true,
  judge ({ msg, settings, chamber, active }) {
    if (msg.smokeDbM === undefined || chamber === undefined) return undefined
    const rise = chamber.baselineDbM - chamber.referenceDbM
    const k = active ? settings.clearRatio : 1
    const holds = rise >= k * settings.dirtyChamberRiseDbM || chamber.baselineDbM >= k * settings.dirtyChamberShare * settings.smokeDbM
    if (!holds) return NOT_HOLDING
    return {
      active: true,
      fromMs: chamber.fromMs,
      values: {
        baselineDbM: round(chamber.baselineDbM, 4),
        referenceDbM: round(chamber.referenceDbM, 4),
        riseDbM: round(rise, 4),
        levelDbM: settings.smokeDbM,
        percentile: settings.dirtyChamberPercentile,
        samples: chamber.samples
      }
    }
  }
}
