import type { AlertLocation, DeviceKind, Severity } from '@gangwan/contracts'
import type { CommunityContext } from '../core/context.ts'
import type { RuleInfo } from '../core/rule-info.ts'
import type { Signal } from '../core/signal.ts'

/** What a health alert is about: a device, or a gateway (subject = its id). Shared: never modified. */
export interface HealthSubject {
  id: string
  location: AlertLocation
  /** Set for devices; absent for gateways. */
  kind?: DeviceKind
}

/** The explanation of one raised signal; times are measurement time, ms. */
export interface HealthRaise {
  at: number
  values: Record<string, number | string | boolean | null>
  fromMs: number
  toMs: number
  /** Overrides the rule's severity (a worse case). */
  severity?: Severity
  title?: string
}

/** Looks subjects up and builds the signals of the health rules about them. */
export interface HealthSubjects {
  get: (id: string) => HealthSubject | undefined
  raise: (rule: RuleInfo, subject: HealthSubject, r: HealthRaise) => Signal
  clear: (rule: RuleInfo, subject: string, at: number) => Signal
}

/**
 * Devices come from the context (their location down to floor, zone, lift, restaurant or façade);
 * gateways, which have no device entry, get their building and that building's grid.
 *
 * @example
 * const subjects = createHealthSubjects(ctx)
 * const gw = subjects.get('GW-B01') // { id: 'GW-B01', location: { grid: 'G01', building: 'B01' } }
 */
export function createHealthSubjects (ctx: CommunityContext): HealthSubjects {
  const gridOf = new Map(ctx.community.buildings.map((b) => [b.id, b.grid]))
  const gateways = new Map<string, HealthSubject>()
  const devices = new Map<string, HealthSubject>()
  for (const g of ctx.community.gateways) {
    const grid = gridOf.get(g.building)
    if (grid !== undefined) gateways.set(g.id, { id: g.id, location: { grid, building: g.building } })
  }
  // Signal times are integers in the alert schema; drift-corrected clock estimates are not.
  const int = Math.round
  return {
    get (id) {
      // Looked up for every message: each device's subject is built once and shared.
      let subject = devices.get(id)
      if (subject === undefined) {
        const dc = ctx.device(id)
        if (dc === undefined) return gateways.get(id)
        subject = { id, location: dc.location, kind: dc.device.kind }
        devices.set(id, subject)
      }
      return subject
    },
    raise (rule, subject, r) {
      return {
        active: true,
        at: int(r.at),
        ruleId: rule.id,
        subject: subject.id,
        category: rule.category,
        severity: r.severity ?? rule.severity,
        title: r.title ?? `${rule.title}: ${subject.id}`,
        source: { type: 'rule', id: rule.id, version: rule.version, clause: rule.clause },
        trigger: { values: r.values, window: { fromMs: int(Math.min(r.fromMs, r.toMs)), toMs: int(r.toMs) } },
        location: { ...subject.location },
        ...(subject.kind !== undefined ? { device: subject.id, kind: subject.kind } : {})
      }
    },
    clear: (rule, subject, at) => ({ active: false, at: int(at), ruleId: rule.id, subject })
  }
}
