import { describe, expect, it } from 'vitest'
import { ElevatorTelemetrySchema, TelemetrySchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, withField, type RejectCase } from './support/table.ts'


const running = {
  kind: 'elevator', seq: 88, ts: 1_763_800_000_000, floor: 12, direction: 'up', speedMps: 1.75,
  door: 'closed', inDoorZone: false, passenger: true, mode: 'normal', faultCodes: []
}

const accepted: [string, unknown][] = [
  ['car running up with a passenger', running],
  ['trapped between floors: stopped, door closed, out of the door zone', { ...running, direction: 'stop', speedMps: 0, inDoorZone: false, faultCodes: ['E30'] }],
  ['levelled with the door opening', { ...running, direction: 'stop', speedMps: 0, door: 'opening', inDoorZone: true }],
  ['lowest basement floor, inspection mode', { ...running, floor: -20, direction: 'down', door: 'closing', mode: 'inspection' }],
  ['highest floor, fire-service mode', { ...running, floor: 300, mode: 'fire', door: 'open' }],
  ['maintenance mode, top speed', { ...running, mode: 'maintenance', speedMps: 25 }],
  ['16 fault codes of 16 characters', { ...running, faultCodes: Array.from({ length: 16 }, (_, i) => `E${String(i).padStart(15, '0')}`) }]
]

const rejected: RejectCase[] = [
  ...fieldRejects(running, {
    ...SEQUENCED_FIELDS,
    kind: { required: true, bad: ['lift'] },
    floor: { required: true, bad: [-21, 301, 12.5, '12'] },
    direction: { required: true, bad: ['sideways', 'UP', 1] },
    speedMps: { required: true, bad: [-0.1, 25.1, '1.75'] },
    door: { required: true, bad: ['ajar', true] },
    inDoorZone: { required: true, bad: ['true', 1] },
    passenger: { required: true, bad: [0, 'yes'] },
    mode: { required: true, bad: ['service', null] },
    faultCodes: { required: true, bad: ['E30', null, Array.from({ length: 17 }, () => 'E1')] }
  }),
  { name: 'an empty fault code', input: withField(running, 'faultCodes', ['']), path: 'faultCodes.0' },
  { name: 'a fault code of 17 characters', input: withField(running, 'faultCodes', ['E30', 'X'.repeat(17)]), path: 'faultCodes.1' },
  { name: 'a numeric fault code', input: withField(running, 'faultCodes', [30]), path: 'faultCodes.0' }
]

describe('ElevatorTelemetrySchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(ElevatorTelemetrySchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(ElevatorTelemetrySchema, input, path)
  })
  it.each(accepted)('is reached through TelemetrySchema: %s', (_name, input) => {
    expectAccepted(TelemetrySchema, input)
  })
})
