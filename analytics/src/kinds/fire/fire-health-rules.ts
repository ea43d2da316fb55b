import { NOT_HOLDING, type FireRule } from './fire-rule.ts'

/**
 * Device health from the detector's own status bits: a zone with a faulty or removed detector is
 * unprotected, so each goes to maintenance as its own alert (DOMAIN.md §1). Low battery is the
 * health monitor's (`health.low-battery`, at `fire.lowBatteryPct` for fire detectors), which
 * also reads heartbeats, so it is not judged here a second time.
 */
export const FAULT_RULE: FireRule = {
  info: {
    id: 'fire.fault',
    version: '1',
    category: 'device_health',
    severity: 'P3',
    clause: 'GB 26875.1 (user transmission device forwards detector fault status); DOMAIN.md §1',
    title: 'Fire detector fault',
    description: 'The detector reports a self-test fault (`fault: true`); clears when the fault bit drops.'
  },
  judge: ({ msg }) => msg.fault ? { active: true, fromMs: msg.ts, values: { fault: true } } : NOT_HOLDING
}

/** A detector removed from its base (tamper): its area has no detection until it is refitted. */
export const TAMPER_RULE: FireRule = {
  info: {
    id: 'fire.tamper',
    version: '1',
    category: 'device_health',
    severity: 'P3',
    clause: 'GB 26875.1 (detector status incl. removal); DOMAIN.md §1 tamper/removal',
    title: 'Fire detector removed or tampered with',
    description: 'The detector reports `tamper: true` (removed from its base or opened); clears when refitted.'
  },
  judge: ({ msg }) => msg.tamper ? { active: true, fromMs: msg.ts, values: { tamper: true } } : NOT_HOLDING
}
