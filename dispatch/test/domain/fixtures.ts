import { CommunitySchema, DEFAULT_MERGE_RULES, DispatchSettingsSchema, FINAL_INCIDENT_STATUSES } from '@gangwan/contracts'
import type { Alert, Community, CommunityInput, DepartmentKind, DispatchSettings, Incident } from '@gangwan/contracts'
import type { AlertContext } from '../../src/incidents/incident-store.ts'
import { lookupKeys, planAlert, type AlertDecision } from '../../src/domain/index.ts'

export { makeAlert, next, T0 } from '../support/make-alert.ts'

const dept = (id: string, kind: DepartmentKind, grids: string[] = []): NonNullable<CommunityInput['departments']>[number] =>
  ({ id, name: `${kind.replace(/_/g, ' ')}`, kind, grids, handlers: [{ id: `${id}-h1`, name: `${id} first` }, { id: `${id}-h2`, name: `${id} second` }] })

/**
 * A two-grid community: buildings B03 (grid G01, elevator L1 maintained by EM-1) and B05 (G02);
 * a department of every kind covering everything, plus grid-specific property companies (P-1 for
 * G01, P-2 for G02) and a community committee C-2 for G02 beside the community-wide C-1.
 */
export function communityInput (overrides: Partial<CommunityInput> = {}): CommunityInput {
  const building = (id: string, grid: string, x: number): NonNullable<CommunityInput['buildings']>[number] => ({
    id, name: `Building ${id}`, grid, floors: 30, facades: [{ id: 'N', orientation: 'N', widthM: 40 }], position: { x, y: 0 }, footprint: { widthM: 40, depthM: 20 }
  })
  return {
    schemaVersion: 1,
    id: 'test-community',
    name: 'Test community',
    grids: [{ id: 'G01', name: 'Grid one', zoneClass: '1' }, { id: 'G02', name: 'Grid two', zoneClass: '2' }],
    buildings: [building('B03', 'G01', 0), building('B05', 'G02', 100)],
    elevators: [{ id: 'L1', building: 'B03', lowestFloor: 1, highestFloor: 30, ratedSpeedMps: 2.5, maintainer: 'EM-1' }],
    departments: [
      dept('FCR-1', 'fire_control_room'), dept('FB-1', 'fire_brigade'), dept('EM-1', 'elevator_maintenance'),
      dept('UM-1', 'urban_management'), dept('ENV-1', 'environment'),
      dept('P-1', 'property', ['G01']), dept('P-2', 'property', ['G02']), dept('POL-1', 'police'),
      dept('C-2', 'community', ['G02']), dept('C-1', 'community'), dept('S-1', 'street'), dept('D-1', 'district'),
      dept('DM-1', 'device_maintenance')
    ],
    devices: [],
    ...overrides
  }
}

/** The fixture community with default dispatch settings. */
export const community: Community = CommunitySchema.parse(communityInput())

/**
 * The default merge rules, except that `elevator-fire-mode` also applies to category `fire`:
 * analytics raises `elevator.fire_mode` as a fire alert (analytics/src/kinds/elevator/mode-rules.ts),
 * which the contract's default (`categories: ['elevator']`) never matches.
 */
export const mergeSettings: DispatchSettings = DispatchSettingsSchema.parse({
  merge: DEFAULT_MERGE_RULES.map((r) => r.id === 'elevator-fire-mode' ? { ...r, categories: [...new Set([...r.categories, 'fire' as const])] } : r)
})

/** A valid incident: dispatched fire P2 in B03/Z12 at `T0`, accept due in 180 s, with `overrides`. */
export function makeIncident (overrides: Partial<Incident> = {}): Incident {
  const t = 1_763_800_000_000
  return {
    id: 'INC-000001',
    version: 2,
    status: 'dispatched',
    category: 'fire',
    severity: 'P2',
    title: 'Smoke pre-alarm',
    location: { grid: 'G01', building: 'B03', floor: 12, zone: 'Z12' },
    department: 'FCR-1',
    tier: 0,
    escalatedTo: [],
    mergeRule: 'fire-zone',
    mergeReason: 'opened by fire.smoke on B03-F12-S01',
    alertCount: 1,
    devices: ['B03-F12-S01'],
    reworkCount: 0,
    createdAt: t,
    updatedAt: t,
    dispatchedAt: t,
    lastAlertAt: t,
    deadline: { step: 'accept', dueAt: t + 180_000, tier: 0 },
    missed: [],
    ...overrides
  }
}

/**
 * Plays the incident store's part around {@link planAlert} in memory, as `IncidentStore.applyAlert`
 * specifies it: prefetch the incident linked to the alert's key and the open incidents indexed
 * under the alert's scope keys, decide, then store the plan (ids `INC-1`, `INC-2`, …).
 */
export function createIncidentBook (settings: DispatchSettings) {
  const incidents = new Map<string, Incident>()
  const index = new Map<string, Set<string>>()
  const links = new Map<string, { incidentId: string; alert: Alert; mergeRule: string; reason: string }>()
  const indexUnder = (id: string, keys: readonly string[]): void => {
    for (const k of keys) {
      const ids = index.get(k) ?? new Set<string>()
      index.set(k, ids.add(id))
    }
  }
  return {
    incidents,
    links,
    get: (id: string): Incident => {
      const i = incidents.get(id)
      if (i === undefined) throw new Error(`no incident ${id}`)
      return i
    },
    /** Replaces an incident after a lifecycle change. */
    put: (incident: Incident): void => { incidents.set(incident.id, incident) },
    apply (alert: Alert, now: number): { decision: AlertDecision; incidentId?: string } {
      const link = links.get(alert.key)
      const ids = new Set(lookupKeys(alert, settings).flatMap((k) => [...(index.get(k) ?? [])]))
      const ctx: AlertContext = {
        candidates: [...ids].map((id) => incidents.get(id) as Incident).filter((i) => !FINAL_INCIDENT_STATUSES.includes(i.status))
      }
      if (link !== undefined) ctx.linked = { incident: incidents.get(link.incidentId) as Incident, alert: link.alert }
      const decision = planAlert(alert, ctx, { settings, now })
      switch (decision.type) {
        case 'ignore': return { decision }
        case 'relink': {
          if (link === undefined) throw new Error('relink without a link')
          links.set(alert.key, { ...link, alert })
          return { decision, incidentId: link.incidentId }
        }
        case 'create': {
          const id = `INC-${incidents.size + 1}`
          incidents.set(id, { ...decision.incident, id })
          indexUnder(id, decision.scopeKeys)
          links.set(alert.key, { incidentId: id, alert, ...decision.link })
          return { decision, incidentId: id }
        }
        case 'update': {
          const { id } = decision.incident
          if (decision.incident.version !== this.get(id).version + 1) throw new Error('update must bump the version by one')
          incidents.set(id, decision.incident)
          indexUnder(id, decision.scopeKeys)
          links.set(alert.key, { incidentId: id, alert, ...decision.link })
          return { decision, incidentId: id }
        }
      }
    }
  }
}
