import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AlertCategory } from '@gangwan/contracts'
import { createDeviceSimulation, floorLevels } from '../src/index.ts'
import { formatTruth, groundTruth, loadScenario, parseScenario, TruthItemSchema, type IncidentType } from '../src/scenarios/index.ts'
import { community, examplePath, itemOf } from './scenario-support.ts'
import { ROOT } from './support/run-cli.ts'

const EXAMPLES = readdirSync(resolve(ROOT, 'simulators/scenarios')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''))
const CATEGORY: Record<Exclude<IncidentType, 'sensor_fault'>, AlertCategory> = {
  fire: 'fire', trapped_passenger: 'elevator', purifier_off: 'fume', fume_exceedance: 'fume', noise: 'noise',
  thrown_object: 'falling_object', dusty_detector: 'device_health'
}
const LIFE_SAFETY = new Set<IncidentType>(['fire', 'trapped_passenger', 'thrown_object'])

describe('ground truth', () => {
  it('commits 6–10 example scenarios, each loading against the Huaguoyuan community', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6)
    expect(EXAMPLES.length).toBeLessThanOrEqual(10)
  })

  it.each(EXAMPLES)('%s: one valid line per incident, in file order, with its category, place and expected rules, then labelled background', async (name) => {
    const scenario = await loadScenario(examplePath(name), community)
    const truth = groundTruth(scenario, community)
    const lines = formatTruth(truth).trimEnd().split('\n')
    expect(lines.map((l) => TruthItemSchema.parse(JSON.parse(l)))).toEqual(truth)
    expect(truth.slice(0, scenario.incidents.length).map((t) => t.id)).toEqual(scenario.incidents.map((i) => i.id))
    expect(truth.slice(scenario.incidents.length).every((t) => t.type.startsWith('background_'))).toBe(true)
    expect(new Set(truth.map((t) => t.id)).size).toBe(truth.length)
    for (const inc of scenario.incidents) {
      const t = itemOf(truth, inc.id)
      expect(t.type).toBe(inc.type)
      if (inc.type !== 'sensor_fault') expect(t.category).toBe(CATEGORY[inc.type])
      expect(t.lifeSafety).toBe(LIFE_SAFETY.has(inc.type))
      expect(t.expect?.ruleIds?.length).toBeGreaterThan(0)
      expect(t.startMs).toBeGreaterThanOrEqual(inc.atMs)
      expect(t.endMs).toBeLessThanOrEqual(scenario.endMs)
      expect(Object.keys(t.match).length).toBeGreaterThan(0)
    }
  })

  it('labels each incident as the rules will see it', async () => {
    const traps = await loadScenario(examplePath('elevator-trapped'), community)
    const truth = groundTruth(traps, community)
    const [landing, between] = traps.incidents
    // 2 s door opening, 4 s boarding, 3 s closing; between floors also the 1.2 m creep (~2.2 s at 1 m/s²).
    expect(itemOf(truth, 'trap-landing')).toMatchObject({ startMs: landing!.atMs + 9_000, endMs: landing!.untilMs, match: { elevator: 'E-B03-1', building: 'B03' } })
    expect(itemOf(truth, 'trap-between').startMs - between!.atMs).toBe(9_000 + 2_191)
    const evening = groundTruth(await loadScenario(examplePath('busy-evening'), community), community)
    expect(itemOf(evening, 'kitchen-fire')).toMatchObject({ match: { zone: 'B01-F02', devices: ['B01-F02-H01', 'B01-F02-H02', 'B01-F02-S01', 'B01-F02-M01'] }, expect: { floor: 2, severity: 'P1' } })
    // A daytime class 1 Leq over 55 dB(A): only the hourly Leq rule, judged at 19:00.
    expect(itemOf(evening, 'site-noise')).toMatchObject({ expect: { ruleIds: ['noise.leq'], severity: 'P4' } })
    expect(itemOf(evening, 'dusty-b13')).toMatchObject({ category: 'device_health', expect: { ruleIds: ['anomaly.fire.drift', 'fire.dirty_chamber'] }, forbid: [{ category: 'fire', severity: 'P1' }] })
    const faults = groundTruth(await loadScenario(examplePath('detector-drift'), community), community)
    expect(faults.map((t) => [t.id, t.category, t.expect?.ruleIds])).toEqual([
      ['drift-1', 'device_health', ['anomaly.fire.drift', 'fire.dirty_chamber']],
      ['stuck-1', 'device_health', ['anomaly.noise.stuck', 'health.flat-line']],
      ['dropout-1', 'device_health', ['anomaly.fire.dropout', 'health.seq-gap']]
    ])
  })

  it('has no background by default; natural noise and natural falls are labelled when switched on, matching what the cameras report', async () => {
    const file = { schemaVersion: 1, name: 'background', seed: 4, start: '2026-11-23T14:00:00+08:00', duration: '2h' }
    expect(groundTruth(parseScenario(file, community), community)).toEqual([])
    const natural = parseScenario({ ...file, options: { noiseBackground: 'natural', fallingObjectsPerWeek: 30, nonPhysicalPerWeek: 10 } }, community)
    const truth = groundTruth(natural, community)
    const noise = truth.filter((t) => t.type === 'background_noise')
    expect(noise.map((t) => t.match.devices![0]).sort()).toEqual(community.devices.filter((d) => d.kind === 'noise').map((d) => d.id).sort())
    expect(noise.every((t) => t.startMs === natural.startMs && t.endMs === natural.endMs)).toBe(true)
    const throws = truth.filter((t) => t.type === 'background_thrown_object')
    const birds = truth.filter((t) => t.type === 'background_non_physical')
    expect(throws.length).toBeGreaterThan(5)
    expect(birds.length).toBeGreaterThan(1)
    const sim = createDeviceSimulation(community, { seed: natural.seed, startMs: natural.startMs, scenario: natural })
    const events = sim.pullUntil(natural.endMs).filter((m) => m.kind === 'falling_object').map((m) => m.payload as { eventId: string, ts: number, building: string, trajectory: { h: number }[] })
    expect(events.map((e) => `background-${e.eventId}`).sort()).toEqual([...throws, ...birds].map((t) => t.id).sort())
    for (const t of throws) {
      const e = events.find((x) => `background-${x.eventId}` === t.id)!
      const level = floorLevels(community.buildings.find((b) => b.id === e.building)!).levelM(t.expect!.floor!)
      // The labelled floor is the window the track starts under: 0.9–1.5 m sill, ≤ 0.45 m fallen before lock-on.
      expect(e.trajectory[0]!.h).toBeGreaterThan(level + 0.2)
      expect(e.trajectory[0]!.h).toBeLessThan(level + 1.8)
      expect(t).toMatchObject({ category: 'falling_object', lifeSafety: true, startMs: e.ts - 300, expect: { ruleIds: ['falling_object.thrown'], severity: 'P1' } })
    }
  })
})
