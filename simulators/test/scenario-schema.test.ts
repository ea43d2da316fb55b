import { describe, expect, it } from 'vitest'
import { GangwanError } from '@gangwan/contracts'
import { groundTruth, parseScenario, resolveScenarioTime, type ScenarioFileInput } from '../src/scenarios/index.ts'
import { community } from './scenario-support.ts'

const START = '2026-11-23T09:00:00+08:00'
const startMs = Date.parse(START)
const scenario = (incidents: unknown[], over: Partial<Record<keyof ScenarioFileInput, unknown>> = {}): unknown =>
  ({ schemaVersion: 1, name: 'table', start: START, duration: '6h', incidents, ...over })

/** The message of the GangwanError `fn` throws; fails the test if it throws anything else. */
function failure (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(GangwanError)
    expect((err as GangwanError).code).toBe('GW_ERR_SCENARIO_INVALID')
    return (err as Error).message
  }
  throw new Error('expected GW_ERR_SCENARIO_INVALID')
}

// A zone holding a single smoke detector: no second trigger can ever confirm a fire there.
const lonely = (() => {
  const byZone = new Map<string, string[]>()
  for (const d of community.devices) if (d.kind === 'fire') byZone.set(d.zone, [...(byZone.get(d.zone) ?? []), d.id])
  const id = [...byZone.values()].find((ids) => ids.length === 1)![0]!
  return community.devices.find((d) => d.id === id)! as Extract<(typeof community.devices)[number], { kind: 'fire' }>
})()

describe('scenario schema and community checks', () => {
  it.each([
    ['a fire on a floor whose zone has a detector and a call point', { id: 'f', at: '+00:20', type: 'fire', building: 'B03', floor: 12 }],
    ['a trapped passenger between floors', { id: 't', at: '+00:40', type: 'trapped_passenger', elevator: 'E-B03-1', for: '10m', position: 'between', floor: 20 }],
    ['a purifier off in opening hours (R-02 opens 06:30–13:30)', { id: 'p', at: '10:00', type: 'purifier_off', restaurant: 'R-02', for: '30m' }],
    ['a fume exceedance', { id: 'x', at: '11:30', type: 'fume_exceedance', restaurant: 'R-09', mgM3: 3.5, for: '20m' }],
    ['a loud daytime noise', { id: 'n', at: '+01:00', type: 'noise', device: 'N-G01-01', leqDb: 75, for: '1h' }],
    ['a thrown object', { id: 'o', at: '+01:10', type: 'thrown_object', building: 'B05', facade: 'S', floor: 17 }],
    ['a sensor fault', { id: 's', at: '+00:05', type: 'sensor_fault', device: 'B01-F03-S01', fault: { type: 'drift', field: 'smokeDbM', ratePerHour: 0.01 } }],
    ['a dusty detector', { id: 'd', at: '+00:30', type: 'dusty_detector', device: 'B02-F07-S01' }]
  ])('accepts %s', (_what, incident) => {
    const s = parseScenario(scenario([incident]), community)
    expect(s.incidents).toHaveLength(1)
    expect(groundTruth(s, community)[0]!.id).toBe((incident as { id: string }).id)
  })

  it.each([
    ['an unknown incident type', { id: 'u1', at: '+00:10', type: 'flood', building: 'B01' }, ['"u1"', 'type']],
    ['a misspelt field', { id: 'u2', at: '+00:10', type: 'fire', building: 'B03', flor: 12 }, ['"u2"', 'flor']],
    ['a trap without `for`', { id: 'u3', at: '+00:10', type: 'trapped_passenger', elevator: 'E-B03-1' }, ['"u3"', 'for']],
    ['a duration that is not one', { id: 'u4', at: '+00:10', type: 'purifier_off', restaurant: 'R-02', for: 'ages' }, ['"u4"', 'for']],
    ['a time that is not one', { id: 't1', at: 'soon', type: 'thrown_object', building: 'B05', facade: 'S', floor: 17 }, ['"t1"', 'at:']],
    ['a time after the run', { id: 't2', at: '+07:00', type: 'thrown_object', building: 'B05', facade: 'S', floor: 17 }, ['"t2"', 'at:', 'outside the run']],
    ['an unknown building', { id: 'c1', at: '+00:10', type: 'fire', building: 'B99', floor: 3 }, ['"c1"', 'building:', 'B99']],
    ['floor 0', { id: 'c2', at: '+00:10', type: 'fire', building: 'B03', floor: 0 }, ['"c2"', 'floor:', 'no floor 0']],
    ['a fire in a zone of one detector', { id: 'c3', at: '+00:10', type: 'fire', building: lonely.building, floor: lonely.floor }, ['"c3"', 'floor:', 'one device only']],
    ['a fire too short to be confirmed', { id: 'c4', at: '+00:10', type: 'fire', building: 'B03', floor: 12, for: '1m' }, ['"c4"', 'for:']],
    ['an unknown elevator', { id: 'c5', at: '+00:10', type: 'trapped_passenger', elevator: 'E-B99-1', for: '10m' }, ['"c5"', 'elevator:']],
    ['a trap shorter than the trapped time', { id: 'c6', at: '+00:10', type: 'trapped_passenger', elevator: 'E-B03-1', for: '50s' }, ['"c6"', 'for:', 'trappedAfterMs']],
    ['a floor the lift does not serve', { id: 'c7', at: '+00:10', type: 'trapped_passenger', elevator: 'E-B03-1', for: '5m', floor: 41 }, ['"c7"', 'floor:', '-2..40']],
    ['a purifier off while the restaurant is closed', { id: 'c8', at: '14:30', type: 'purifier_off', restaurant: 'R-02', for: '30m' }, ['"c8"', 'at:', 'closed']],
    ['a purifier off running past closing with too few samples', { id: 'c9', at: '13:27', type: 'purifier_off', restaurant: 'R-02', for: '30m' }, ['"c9"', 'for:', 'samples']],
    ['an exceedance under 1.25 × the limit', { id: 'c10', at: '11:30', type: 'fume_exceedance', restaurant: 'R-09', mgM3: 2.1, for: '20m' }, ['"c10"', 'mgM3:']],
    ['a noise that breaks no limit', { id: 'c11', at: '+00:10', type: 'noise', device: 'N-G01-01', leqDb: 45, for: '1h' }, ['"c11"', 'leqDb:', 'breaks no limit']],
    ['a noise incident on a fire detector', { id: 'c12', at: '+00:10', type: 'noise', device: 'B03-F12-S01', leqDb: 75, for: '1h' }, ['"c12"', 'device:', 'fire device']],
    ['a façade the building lacks', { id: 'c13', at: '+00:10', type: 'thrown_object', building: 'B05', facade: 'X', floor: 17 }, ['"c13"', 'facade:']],
    ['a throw from floor 2', { id: 'c14', at: '+00:10', type: 'thrown_object', building: 'B05', facade: 'S', floor: 2 }, ['"c14"', 'floor:']],
    ['a fault on a field the kind lacks', { id: 'c15', at: '+00:10', type: 'sensor_fault', device: 'B01-F03-S01', fault: { type: 'drift', field: 'leq', ratePerHour: 1 } }, ['"c15"', 'fault.field:']],
    ['a fault type the kind does not take', { id: 'c16', at: '+00:10', type: 'sensor_fault', device: 'B01-F03-S01', fault: { type: 'door_wear', rampMs: 1000, extraOpeningMs: 1, extraClosingMs: 1 } }, ['"c16"', 'fault', 'door_wear']],
    ['a fault with its own start', { id: 'c17', at: '+00:10', type: 'sensor_fault', device: 'B01-F03-S01', fault: { type: 'stuck', field: 'smokeDbM', fromMs: 0 } }, ['"c17"', 'fault.fromMs:']],
    ['a dusty call point', { id: 'c18', at: '+00:10', type: 'dusty_detector', device: 'B03-F12-M01' }, ['"c18"', 'device:', 'manual_call_point']],
    ['a dusty ramp outlasting the incident', { id: 'c19', at: '+00:10', type: 'dusty_detector', device: 'B02-F07-S01', rampFor: '30m', for: '20m' }, ['"c19"', 'rampFor:']]
  ])('rejects %s, naming the incident and the field', (_what, incident, parts) => {
    const message = failure(() => parseScenario(scenario([incident]), community))
    for (const p of parts) expect(message).toContain(p)
  })

  it.each([
    ['a start without its UTC offset', { start: '2026-11-23T09:00:00' }, 'start:'],
    ['a missing duration', { duration: undefined }, 'duration'],
    ['an unknown option', { options: { birds: 3 } }, 'options'],
    ['another schema version', { schemaVersion: 2 }, 'schemaVersion']
  ])('rejects %s', (_what, over, part) => {
    expect(failure(() => parseScenario(scenario([], over as Record<string, unknown>), community))).toContain(part)
  })

  it('rejects two incidents with one id, and two traps overlapping in one lift', () => {
    const fire = { id: 'dup', at: '+00:10', type: 'fire', building: 'B03', floor: 12 }
    expect(failure(() => parseScenario(scenario([fire, { ...fire, at: '+01:00' }]), community))).toMatch(/"dup" \(incidents\.1\) id:/)
    const trap = { at: '+00:10', type: 'trapped_passenger', elevator: 'E-B03-1', for: '10m' }
    expect(failure(() => parseScenario(scenario([{ ...trap, id: 'a' }, { ...trap, id: 'b', at: '+00:15' }]), community))).toMatch(/"a" \(incidents\.0\) at: overlaps incident "b"/)
  })

  it.each([
    ['+00:20', startMs + 20 * 60_000],
    ['+01:05:30', startMs + 3_930_000],
    ['+90s', startMs + 90_000],
    ['+1h30m', startMs + 5_400_000],
    ['09:00', startMs],
    ['23:30', Date.parse('2026-11-23T23:30:00+08:00')],
    // Local clock times come on or after the start: 08:59 is the next morning.
    ['08:59', Date.parse('2026-11-24T08:59:00+08:00')],
    ['2026-11-23T10:00:00+08:00', Date.parse('2026-11-23T02:00:00Z')],
    ['2026-11-23T02:00:00Z', Date.parse('2026-11-23T10:00:00+08:00')]
  ])('resolves the time %s against a 09:00 start in Asia/Shanghai', (text, ms) => {
    expect(resolveScenarioTime(text, startMs, 'Asia/Shanghai')).toBe(ms)
  })

  it.each(['soon', '25:00', '+1:5', '2026-11-23T10:00:00', ''])('does not resolve %j', (text) => {
    expect(resolveScenarioTime(text, startMs, 'Asia/Shanghai')).toBeUndefined()
  })

  it('resolves relative times against an overriding start and keeps the seed override', () => {
    const s = parseScenario(scenario([{ id: 'o', at: '+01:10', type: 'thrown_object', building: 'B05', facade: 'S', floor: 17 }]), community, { seed: 99, startMs: startMs + 86_400_000 })
    expect(s.seed).toBe(99)
    expect(s.incidents[0]!.atMs).toBe(startMs + 86_400_000 + 70 * 60_000)
    expect(s.endMs).toBe(startMs + 86_400_000 + 6 * 3_600_000)
  })
})
