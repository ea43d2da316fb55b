import { describe, expect, it } from 'vitest'
import { FumeTelemetrySchema, TelemetrySchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, type RejectCase } from './support/table.ts'


const cooking = {
  kind: 'fume', seq: 3, ts: 1_763_800_000_000, fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2,
  fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: true
}
const concentration = { required: true, bad: [-0.01, 1000.01, '0.8', null] }
const current = { required: true, bad: [-0.1, 200.1, '3.1'] }
const onOff = { required: true, bad: ['on', 1, null] }

const accepted: [string, unknown][] = [
  ['cooking with the purifier on', cooking],
  ['illegal discharge pattern: fan on, purifier off (valid data, a rule flags it)', { ...cooking, fumeMgM3: 3.4, purifierCurrentA: 0, purifierOn: false }],
  ['closed: everything off and zero', { ...cooking, fumeMgM3: 0, particulateMgM3: 0, nmhcMgM3: 0, fanCurrentA: 0, fanOn: false, purifierCurrentA: 0, purifierOn: false }],
  ['upper range edges', { ...cooking, fumeMgM3: 1000, particulateMgM3: 1000, nmhcMgM3: 1000, fanCurrentA: 200, purifierCurrentA: 200 }]
]

const rejected: RejectCase[] = fieldRejects(cooking, {
  ...SEQUENCED_FIELDS,
  kind: { required: true, bad: ['smoke'] },
  fumeMgM3: concentration,
  particulateMgM3: concentration,
  nmhcMgM3: concentration,
  fanCurrentA: current,
  fanOn: onOff,
  purifierCurrentA: current,
  purifierOn: onOff
})

describe('FumeTelemetrySchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(FumeTelemetrySchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(FumeTelemetrySchema, input, path)
  })
  it.each(accepted)('is reached through TelemetrySchema: %s', (_name, input) => {
    expectAccepted(TelemetrySchema, input)
  })
})
