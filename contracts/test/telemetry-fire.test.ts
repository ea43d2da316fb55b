import { describe, expect, it } from 'vitest'
import { FireTelemetrySchema, TelemetrySchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, without, type RejectCase } from './support/table.ts'


const smoke = { kind: 'fire', seq: 7, ts: 1_763_800_000_000, smokeDbM: 0.02, temperatureC: 24.5, alarm: false, fault: false, tamper: false, batteryPct: 87 }

const accepted: [string, unknown][] = [
  ['multi-sensor reading', smoke],
  ['smoke only, mains powered', { kind: 'fire', seq: 0, ts: 946_684_800_000, smokeDbM: 0.21, alarm: true, fault: false, tamper: false }],
  ['heat only', { kind: 'fire', seq: 1, ts: 4_102_444_800_000, temperatureC: 71, alarm: true, fault: false, tamper: false }],
  ['manual call point only', { kind: 'fire', seq: 2, ts: 1_763_800_000_000, manualCall: true, alarm: true, fault: false, tamper: false }],
  ['manual call point idle (false still counts as a reading)', { kind: 'fire', seq: 3, ts: 1_763_800_000_000, manualCall: false, alarm: false, fault: false, tamper: false }],
  ['range edges', { ...smoke, smokeDbM: 20, temperatureC: -40, batteryPct: 0 }],
  ['range edges, upper', { ...smoke, smokeDbM: 0, temperatureC: 300, batteryPct: 100 }],
  ['fault and tamper set', { ...smoke, fault: true, tamper: true }],
  ['largest seq', { ...smoke, seq: Number.MAX_SAFE_INTEGER }]
]

const rejected: RejectCase[] = [
  ...fieldRejects(smoke, {
    ...SEQUENCED_FIELDS,
    kind: { required: true, bad: ['smoke', 'Fire'] },
    smokeDbM: { required: false, bad: [-0.01, 20.01, '0.02', null] },
    temperatureC: { required: false, bad: [-40.1, 300.1, '24.5'] },
    alarm: { required: true, bad: ['false', 0, null] },
    manualCall: { required: false, bad: ['yes', 1] },
    fault: { required: true, bad: [1, 'no'] },
    tamper: { required: true, bad: [0, 'no'] },
    batteryPct: { required: false, bad: [-1, 100.5, '87'] }
  }),
  { name: 'no reading at all (needs smokeDbM, temperatureC or manualCall)', input: without(without(smoke, 'smokeDbM'), 'temperatureC'), path: 'smokeDbM' },
  { name: 'not an object', input: [smoke], path: '(root)' },
  { name: 'null', input: null, path: '(root)' }
]

describe('FireTelemetrySchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(FireTelemetrySchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(FireTelemetrySchema, input, path)
  })
  it.each(accepted)('is reached through TelemetrySchema: %s', (_name, input) => {
    expectAccepted(TelemetrySchema, input)
  })
})
