import { describe, expect, it } from 'vitest'
import { DEVICE_KINDS, DeviceKindSchema, TelemetrySchema } from '../src/index.ts'
import { expectAccepted, expectRejected, type RejectCase } from './support/table.ts'


const seq = { seq: 1, ts: 1_763_800_000_000 }
const fume = { kind: 'fume', ...seq, fumeMgM3: 0.8, particulateMgM3: 1.9, nmhcMgM3: 4.2, fanCurrentA: 3.1, fanOn: true, purifierCurrentA: 1.2, purifierOn: true }

// Per-kind tables live in telemetry-<kind>.test.ts; this file covers the discriminated union itself.
const rejected: RejectCase[] = [
  { name: 'no kind', input: { ...seq, leq: 50 }, path: 'kind' },
  { name: 'an unknown kind', input: { ...fume, kind: 'gas' }, path: 'kind' },
  { name: 'kind in another case', input: { ...fume, kind: 'FUME' }, path: 'kind' },
  { name: 'kind as a number', input: { ...fume, kind: 3 }, path: 'kind' },
  { name: 'a fume body labelled as noise', input: { ...fume, kind: 'noise' }, path: 'leq' },
  { name: 'a fume body labelled as fire (strict: unknown keys)', input: { ...fume, kind: 'fire' }, path: '(root)' },
  { name: 'a JSON string instead of an object', input: JSON.stringify(fume), path: '(root)' },
  { name: 'an array', input: [fume], path: '(root)' }
]

describe('TelemetrySchema', () => {
  it('knows exactly the five device kinds', () => {
    expect([...DEVICE_KINDS]).toEqual(['fire', 'elevator', 'fume', 'noise', 'falling_object'])
    expect(DeviceKindSchema.options).toEqual([...DEVICE_KINDS])
  })
  it('accepts a message of a known kind and keeps its kind', () => {
    expect(expectAccepted(TelemetrySchema, fume).kind).toBe('fume')
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(TelemetrySchema, input, path)
  })
  it.each([
    ['fire', true], ['falling_object', true], ['smoke', false], ['', false], ['Fire', false]
  ] as const)('DeviceKindSchema %j -> %s', (kind, ok) => {
    expect(DeviceKindSchema.safeParse(kind).success).toBe(ok)
  })
})
