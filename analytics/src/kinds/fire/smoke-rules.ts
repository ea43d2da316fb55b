import type { FireRule } from './fire-rule.ts'
import { NOT_HOLDING, round } from './fire-rule.ts'

/**
 * Smoke pre-alarm: obscuration at or over the site's level. GB 4715-2024 §5.7: a type A
 * photoelectric detector responds at m ≥ 0.05 dB/m (type B ≥ 0.15). One detector is only a
 * pre-alarm (DOMAIN.md §1: most automatic alarms are false); the correlator confirms.
 * Clears once the reading is under `clearRatio` × the level, so a reading hovering at the line
 * does not open and close the alert every report.
 */
export const SMOKE_RULE: FireRule = {
  info: {
    id: 'fire.smoke',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 4715-2024 §5.7 (type A response threshold m ≥ 0.05 dB/m)',
    title: 'Smoke pre-alarm',
    description: 'Smoke obscuration at or over `fire.smokeDbM` dB/m; clears under `clearRatio` × that level. A pre-alarm for verification: a second independent trigger in the zone confirms the fire (fire.confirmed).'
  },
  judge ({ msg, settings, active }) {
    if (msg.smokeDbM === undefined) return undefined
    const level = settings.smokeDbM
    const holds = active ? msg.smokeDbM >= settings.clearRatio * level : msg.smokeDbM >= level
    if (!holds) return NOT_HOLDING
    // Obscuration in %/m as the standard also states it: 100·(1 − 10^(−m/10)).
    const obscurationPctM = 100 * (1 - 10 ** (-msg.smokeDbM / 10))
    return { active: true, fromMs: msg.ts, values: { smokeDbM: msg.smokeDbM, obscurationPctM: round(obscurationPctM, 2), levelDbM: level } }
  }
}

/**
 * The detector's own alarm decision (its certified algorithm: GB 4715 for smoke, GB 4716 for heat
 * detectors), which may fire before or without our threshold. Also a pre-alarm only.
 */
export const DETECTOR_ALARM_RULE: FireRule = {
  info: {
    id: 'fire.detector_alarm',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 4715-2024 / GB 4716 detector alarm output; GB 50116-2013 §4.1.6 (one trigger alone is not confirmation)',
    title: 'Detector in alarm',
    description: 'The detector reports `alarm: true`; clears when it reports `alarm: false` (reset). A pre-alarm until a second independent trigger in the zone confirms the fire.'
  },
  judge ({ msg }) {
    if (!msg.alarm) return NOT_HOLDING
    const values: Record<string, number | boolean> = { alarm: true }
    if (msg.smokeDbM !== undefined) values.smokeDbM = msg.smokeDbM
    if (msg.temperatureC !== undefined) values.temperatureC = msg.temperatureC
    return { active: true, fromMs: msg.ts, values }
  }
}

/**
 * A pressed manual call point: a person saw the fire. GB 50116-2013 §4.1.6 and §4.6 count it as an
 * independent trigger (one detector plus a manual call point is the double knock); on its own it
 * stays a pre-alarm to verify, since call points are also pressed by accident or mischief.
 */
export const MANUAL_CALL_RULE: FireRule = {
  info: {
    id: 'fire.manual_call',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 50116-2013 §4.1.6, §4.6 (manual call point as an independent alarm trigger)',
    title: 'Manual call point pressed',
    description: 'A manual call point reports `manualCall: true`; clears when it reports false (reset). With any other trigger in the zone it confirms the fire.'
  },
  judge ({ msg }) {
    if (msg.manualCall === undefined) return undefined
    return msg.manualCall ? { active: true, fromMs: msg.ts, values: { manualCall: true } } : NOT_HOLDING
  }
}
