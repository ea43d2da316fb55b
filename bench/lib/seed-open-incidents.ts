import pino from 'pino'
import { CommunitySchema, type Alert, type AlertCategory, type Community, type Device, type Severity } from '@gangwan/contracts'
import { createAlertQueue, createDispatch, createSqliteIncidentStore } from '@gangwan/dispatch'
import { alertOf } from '../../dispatch/test/support/dispatch-fixture.ts'

/** Share of each category among the alerts, the rule that raises them and their severities in turn. */
export const MIX: Array<{ category: AlertCategory, share: number, kind: Device['kind'], ruleId: string, severities: Severity[] }> = [
  { category: 'device_health', share: 0.40, kind: 'fire', ruleId: 'health.offline', severities: ['P3', 'P4'] },
  { category: 'fire', share: 0.15, kind: 'fire', ruleId: 'fire.smoke', severities: ['P1', 'P2', 'P2'] },
  { category: 'elevator', share: 0.15, kind: 'elevator', ruleId: 'elevator.trapped_at_landing', severities: ['P1', 'P2', 'P3'] },
  { category: 'noise', share: 0.15, kind: 'noise', ruleId: 'noise.period_leq', severities: ['P3'] },
  { category: 'fume', share: 0.10, kind: 'fume', ruleId: 'fume.exceedance', severities: ['P3'] },
  { category: 'falling_object', share: 0.05, kind: 'falling_object', ruleId: 'falling_object.thrown', severities: ['P1'] }
]
/** Minutes between consecutive seeded alerts (measurement time). */
const SPACING_MS = 60_000

/**
 * The i-th alert of a realistic mix: a closed episode (so a device may alert again) of a device of
 * its category, `SPACING_MS` of measurement time after the previous one. Shared with bench:dispatch.
 */
export function alertAt (community: Community, byKind: Map<string, Device[]>, i: number, t0: number): Alert {
  const x = (i * 0.6180339887) % 1
  let acc = 0
  const mix = MIX.find((m) => (acc += m.share) > x) ?? MIX[0]!
  const devices = byKind.get(mix.kind)!
  const openedAt = t0 + i * SPACING_MS
  const alert = alertOf(community, devices[(i * 7919) % devices.length]!, { ruleId: mix.ruleId, category: mix.category, severity: mix.severities[i % mix.severities.length]!, openedAt, title: mix.ruleId })
  return { ...alert, state: 'cleared', clearedAt: openedAt + 30_000 }
}

/**
 * Fills `dbPath` (a hub's `dispatch.db`, before the hub starts) with `incidents` open incidents of
 * every category, severity and grid, through the real service: alerts into the queue, then merge,
 * routing and auto-dispatch, every change durable, so the hub serves them as it would its own.
 * Alerts are a minute apart and the last opened at `endAt`, so a new alert an hour later merges
 * into none of them. The incidents are dispatched under a one-row SLA of three days (`raw`'s own
 * SLA is left as it is for the hub): none falls due, and escalates, while a bench runs.
 */
export async function seedOpenIncidents (opts: { raw: Record<string, unknown>, dbPath: string, incidents: number, endAt: number }): Promise<{ alerts: number, open: number, seconds: number, bySeverity: Record<string, number> }> {
  const log = pino({ level: 'silent' })
  const days = 3 * 86_400
  const community = CommunitySchema.parse({ ...opts.raw, dispatch: { sla: [{ acceptS: days, arriveS: days, resolveS: days }] } })
  const queue = createAlertQueue({ path: opts.dbPath, log })
  const store = createSqliteIncidentStore({ path: opts.dbPath, log })
  const dispatch = createDispatch({ queue, store, community, log })
  const started = performance.now()
  try {
    const byKind = new Map<string, Device[]>()
    for (const d of community.devices) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d])
    // Merges make incidents fewer than alerts; the span is fixed up front from a generous estimate.
    const budget = Math.ceil(opts.incidents * 1.6)
    const t0 = opts.endAt - budget * SPACING_MS
    let next = 0
    for (let missing = opts.incidents; missing > 0; missing = opts.incidents - (await store.list({ open: true, limit: 1 })).total) {
      if (next + missing > budget) throw new Error(`merges left ${missing} incidents short after ${next} alerts`)
      for (let done = 0; done < missing;) {
        const batch = Array.from({ length: Math.min(500, missing - done) }, () => alertAt(community, byKind, next++, t0))
        await queue.put(batch)
        await dispatch.pump()
        done += batch.length
      }
    }
    const bySeverity: Record<string, number> = {}
    for (const s of ['P1', 'P2', 'P3', 'P4']) bySeverity[s] = (await store.list({ open: true, severity: [s as Severity], limit: 1 })).total
    return { alerts: next, open: (await store.list({ open: true, limit: 1 })).total, seconds: (performance.now() - started) / 1000, bySeverity }
  } finally {
    await dispatch.stop()
    await store.close()
    await queue.close()
  }
}
