import { CommunitySchema, type Community, type CommunityInput } from '@gangwan/contracts'
import type { FaultSpecInput } from '../faults/fault-spec.ts'
import type { NoiseInjection } from '../kinds/noise.ts'
import type { ModelOptionsOverride } from '../simulation/create-device-simulation.ts'
import { prepareIncidents } from './incidents/prepare-incidents.ts'
import type { Scenario } from './scenario-schema.ts'

/** What a simulation does to run a scenario: model options, injections in order, faults by device. */
export interface ScenarioPlan {
  models: ModelOptionsOverride
  injections: { deviceId: string; injection: unknown }[]
  faults: Record<string, FaultSpecInput[]>
}

/**
 * Turns a scenario into what {@link createDeviceSimulation} applies: the background options as
 * model overrides (natural falls and non-physical tracks per camera per week), a within-limits
 * injection on every noise meter unless `noiseBackground` is `natural`, then each incident's
 * injections and faults.
 *
 * @example const plan = planScenario(scenario, community); plan.injections.length
 */
export function planScenario (scenario: Scenario, communityInput: Community | CommunityInput): ScenarioPlan {
  const community = CommunitySchema.parse(communityInput)
  const o = scenario.options
  const plan: ScenarioPlan = {
    models: { fallingObject: { eventsPerWeek: o.fallingObjectsPerWeek, nonPhysicalPerWeek: o.nonPhysicalPerWeek } },
    injections: [],
    faults: {}
  }
  if (o.noiseBackground === 'compliant') {
    // The model's own curve breaks the GB 3096-2008 limits at its peaks: keep it inside them.
    const compliant: NoiseInjection = { fromMs: scenario.startMs, withinLimits: true }
    for (const d of community.devices) if (d.kind === 'noise') plan.injections.push({ deviceId: d.id, injection: compliant })
  }
  for (const p of prepareIncidents(scenario, community)) {
    plan.injections.push(...p.injections)
    for (const f of p.faults) (plan.faults[f.deviceId] ??= []).push(...f.faults)
  }
  return plan
}
