import { GangwanError, type Building, type Community, type Device, type DeviceKind } from '@gangwan/contracts'
import type { FaultSpecInput } from '../../faults/fault-spec.ts'
import type { DeviceOf } from '../../kinds/device-model.ts'
import type { LocalClock } from '../../local-clock.ts'
import type { Incident, IncidentType, Scenario } from '../scenario-schema.ts'
import type { TruthItem } from '../truth-item.ts'

/** What an incident needs to know: the community, the scenario around it, and how to fail. */
export interface IncidentContext {
  community: Community
  scenario: Scenario
  clock: LocalClock
  /** Throws `GW_ERR_SCENARIO_INVALID` naming the incident, its index and `field`. */
  fail: (field: string, message: string) => never
  /** Seed of this incident's own random draws (from the scenario seed and the incident id). */
  seed: number
}

/** An incident turned into what the simulation injects and what the hub should find. */
export interface PreparedIncident {
  injections: { deviceId: string; injection: unknown }[]
  faults: { deviceId: string; faults: FaultSpecInput[] }[]
  truth: TruthItem
}

/** Checks one incident against the community (failing through `ctx.fail`) and prepares it. */
export type IncidentHandler<T extends IncidentType> = (incident: Extract<Incident, { type: T }>, ctx: IncidentContext) => PreparedIncident

/**
 * Builds the `fail` of incident `index`.
 *
 * @example failFor(scenario, 2, 'trap-1')('for', 'must be longer than 69 s') // throws
 */
export function failFor (scenarioName: string, index: number, id: string): IncidentContext['fail'] {
  return (field, message) => {
    throw new GangwanError('GW_ERR_SCENARIO_INVALID', `scenario "${scenarioName}": incident "${id}" (incidents.${index}) ${field}: ${message}`)
  }
}

/**
 * The device `id` of `kind`, or fails on `field`.
 *
 * @example deviceOf(ctx, 'N-G01-01', 'noise').zoneClass
 */
export function deviceOf<K extends DeviceKind> (ctx: IncidentContext, id: string, kind: K, field = 'device'): DeviceOf<K> {
  const d: Device | undefined = ctx.community.devices.find((x) => x.id === id)
  if (d === undefined) return ctx.fail(field, `no device "${id}" in community "${ctx.community.id}"`)
  if (d.kind !== kind) return ctx.fail(field, `device "${id}" is a ${d.kind} device, not ${kind}`)
  return d as DeviceOf<K>
}

/**
 * The building `id`, or fails on `field`.
 *
 * @example buildingOf(ctx, 'B03').floors // 40
 */
export function buildingOf (ctx: IncidentContext, id: string, field = 'building'): Building {
  const b = ctx.community.buildings.find((x) => x.id === id)
  return b ?? ctx.fail(field, `no building "${id}" in community "${ctx.community.id}"`)
}

/**
 * The incident's end clipped to the run: what the ground truth reports.
 *
 * @example endOf(incident, ctx) // Math.min(incident.untilMs, scenario.endMs)
 */
export function endOf (incident: Incident, ctx: IncidentContext): number {
  return Math.min(incident.untilMs, ctx.scenario.endMs)
}
