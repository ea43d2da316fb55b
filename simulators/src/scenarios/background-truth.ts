import type { Community } from '@gangwan/contracts'
import { DEFAULT_MODEL_OPTIONS, type DeviceSetup } from '../kinds/device-model.ts'
import { fallingObjectModel } from '../kinds/falling-object.ts'
import { createLocalClock } from '../local-clock.ts'
import { createRng, deviceSeed, hashSeed } from '../rng.ts'
import type { Scenario } from './scenario-schema.ts'
import type { TruthItem } from './truth-item.ts'

// The tracker locks on at most 0.3 s after the release (the falling-object model's range).
const LOCK_ON_MS = 300

/**
 * The natural events of every camera in the run, found by stepping the cameras' models exactly as
 * the simulation does (same seeds, clock and options; injected throws draw from their own seeds,
 * so they do not move these). A free fall is a thrown object the hub should alert on (P1, with its
 * true floor); a non-physical track (bird, leaf) is a distractor that may draw a P4.
 */
function cameraEvents (scenario: Scenario, community: Community): TruthItem[] {
  const { fallingObjectsPerWeek: eventsPerWeek, nonPhysicalPerWeek } = scenario.options
  if (eventsPerWeek + nonPhysicalPerWeek <= 0) return []
  const clock = createLocalClock(community.timezone)
  const sharedSeed = hashSeed(scenario.seed, `community:${community.id}`)
  const options = { ...DEFAULT_MODEL_OPTIONS, fallingObject: { eventsPerWeek, nonPhysicalPerWeek } }
  const items: TruthItem[] = []
  for (const device of community.devices) {
    if (device.kind !== 'falling_object') continue
    const building = community.buildings.find((b) => b.id === device.building)!
    const setup: DeviceSetup<'falling_object'> = { device, community, building, clock, sharedSeed, options }
    const rng = createRng(deviceSeed(scenario.seed, device.id))
    let { state } = fallingObjectModel.init(setup, scenario.startMs, rng)
    while (state.pending !== null && state.pending.emitMs <= scenario.endMs) {
      const { body, floor } = state.pending
      const endMs = body.ts + Math.round(body.trajectory[body.trajectory.length - 1]!.t * 1000)
      const match = { building: body.building, facade: body.facade, devices: [device.id] }
      items.push(floor !== undefined
        ? {
            id: `background-${body.eventId}`, type: 'background_thrown_object', category: 'falling_object', lifeSafety: true,
            startMs: body.ts - LOCK_ON_MS, endMs, match, expect: { ruleIds: ['falling_object.thrown'], severity: 'P1', floor }
          }
        : {
            id: `background-${body.eventId}`, type: 'background_non_physical', category: 'falling_object', lifeSafety: false,
            startMs: body.ts, endMs, match, allow: [{ category: 'falling_object' }]
          })
      state = fallingObjectModel.step(state, state.pending.emitMs, rng).state
    }
  }
  return items
}

/**
 * Ground truth for what the device models do on their own in a scenario, so their alerts are not
 * counted as false. By default a scenario has none: natural free falls and non-physical tracks are
 * off and the noise background keeps within the limits. With `fallingObjectsPerWeek` or `nonPhysicalPerWeek` above
 * 0 each natural camera event is an item; with `noiseBackground: 'natural'` each meter gets one
 * `background_noise` item over the whole run (its diurnal curve and loud events break the limits
 * at their own times), allowing noise alerts on it. Sorted by start.
 *
 * @example backgroundTruth({ ...scenario, options: { ...scenario.options, nonPhysicalPerWeek: 2 } }, community)
 */
export function backgroundTruth (scenario: Scenario, community: Community): TruthItem[] {
  const items = cameraEvents(scenario, community)
  if (scenario.options.noiseBackground === 'natural') {
    for (const d of community.devices) {
      if (d.kind !== 'noise') continue
      items.push({
        id: `background-noise-${d.id}`, type: 'background_noise', category: 'noise', lifeSafety: false,
        startMs: scenario.startMs, endMs: scenario.endMs, match: { building: d.building, devices: [d.id] }, allow: [{ category: 'noise' }]
      })
    }
  }
  return items.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id))
}
