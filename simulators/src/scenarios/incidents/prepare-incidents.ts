import type { Community } from '@gangwan/contracts'
import { createLocalClock } from '../../local-clock.ts'
import { hashSeed } from '../../rng.ts'
import type { IncidentType, Scenario } from '../scenario-schema.ts'
import { fireIncident } from './fire-incident.ts'
import { fumeIncident } from './fume-incident.ts'
import { failFor, type IncidentHandler, type PreparedIncident } from './incident-context.ts'
import { noiseIncident } from './noise-incident.ts'
import { dustyIncident, sensorFaultIncident } from './sensor-fault-incident.ts'
import { thrownIncident } from './thrown-incident.ts'
import { trappedIncident } from './trapped-incident.ts'

/**
 * The handler of each incident type: the one place that maps a type to its behaviour.
 *
 * @example INCIDENT_HANDLERS.fire(incident, ctx).truth.category // 'fire'
 */
export const INCIDENT_HANDLERS: { readonly [T in IncidentType]: IncidentHandler<T> } = Object.freeze({
  fire: fireIncident,
  trapped_passenger: trappedIncident,
  // One handler for both fume types (TypeScript measures the alias's parameter as covariant).
  purifier_off: fumeIncident as IncidentHandler<'purifier_off'>,
  fume_exceedance: fumeIncident as IncidentHandler<'fume_exceedance'>,
  noise: noiseIncident,
  thrown_object: thrownIncident,
  sensor_fault: sensorFaultIncident,
  dusty_detector: dustyIncident
})

/**
 * Checks every incident of a scenario against the community and prepares it (injections, faults,
 * ground truth), in file order. Each incident draws from its own seed, from the scenario seed and
 * its id, so adding an incident leaves the others unchanged. Throws `GW_ERR_SCENARIO_INVALID`
 * naming the first bad incident and field.
 *
 * @example prepareIncidents(scenario, community)[0].truth.category // 'fire'
 */
export function prepareIncidents (scenario: Scenario, community: Community): PreparedIncident[] {
  const clock = createLocalClock(community.timezone)
  return scenario.incidents.map((inc, i) => {
    const ctx = { community, scenario, clock, fail: failFor(scenario.name, i, inc.id), seed: hashSeed(scenario.seed, `incident:${inc.id}`) }
    const handler = INCIDENT_HANDLERS[inc.type] as IncidentHandler<IncidentType>
    return handler(inc as Parameters<IncidentHandler<IncidentType>>[0], ctx)
  })
}
