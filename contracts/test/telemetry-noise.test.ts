import { describe, expect, it } from 'vitest'
import { NoiseTelemetrySchema, TelemetrySchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, without, type RejectCase } from './support/table.ts'


const minute = { kind: 'noise', seq: 1440, ts: 1_763_800_000_000, intervalS: 60, leq: 52.3, lmax: 61.0, lmin: 44.2, l10: 55.1, l50: 51.0, l90: 46.3, valid: true }
const level = { required: true, bad: [-0.1, 160.1, '52.3', null] }
/** The same level everywhere: the degenerate but valid ordering lmin = l90 = l50 = l10 = lmax = leq. */
const flat = (db: number): Record<string, unknown> => ({ ...minute, leq: db, lmax: db, lmin: db, l10: db, l50: db, l90: db })

const accepted: [string, unknown][] = [
  ['a one-minute sample', minute],
  ['a constant level (all statistics equal)', flat(45)],
  ['range edges', { ...minute, lmin: 0, l90: 0, l50: 0, leq: 0, l10: 0, lmax: 160 }],
  ['range edges, upper', flat(160)],
  ['rain-invalidated sample (GB 3096-2008 Annex C)', { ...minute, valid: false, invalidReason: 'rain' }],
  ['one-second interval', { ...minute, intervalS: 1 }],
  ['one-hour interval', { ...minute, intervalS: 3600 }],
  ['leq above l10 (a short loud event dominates the energy mean)', { ...minute, leq: 58, l10: 55.1 }]
]

const rejected: RejectCase[] = [
  ...fieldRejects(minute, {
    ...SEQUENCED_FIELDS,
    kind: { required: true, bad: ['sound'] },
    intervalS: { required: false, bad: [0, 3601, 60.5, '60'] },
    leq: level,
    lmax: level,
    lmin: level,
    l10: level,
    l50: level,
    l90: level,
    valid: { required: true, bad: ['true', 1] },
    invalidReason: { required: false, bad: ['snow', ''] }
  }),
  // Percentile ordering (HJ 906-2017): Lmin <= L90 <= L50 <= L10 <= Lmax, reported at l50.
  { name: 'l90 above l50', input: { ...minute, l90: 51.5 }, path: 'l50' },
  { name: 'l50 above l10', input: { ...minute, l50: 56 }, path: 'l50' },
  { name: 'l10 above lmax', input: { ...minute, l10: 62 }, path: 'l50' },
  { name: 'lmin above l90', input: { ...minute, lmin: 47, leq: 52.3 }, path: 'l50' },
  { name: 'percentiles swapped (L10 and L90 confused)', input: { ...minute, l10: 46.3, l90: 55.1 }, path: 'l50' },
  { name: 'leq above lmax', input: { ...minute, leq: 61.5 }, path: 'leq' },
  { name: 'leq below lmin', input: { ...minute, leq: 44 }, path: 'leq' }
]

describe('NoiseTelemetrySchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(NoiseTelemetrySchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(NoiseTelemetrySchema, input, path)
  })
  it('defaults intervalS to 60 s when absent', () => {
    expect(expectAccepted(NoiseTelemetrySchema, without(minute, 'intervalS')).intervalS).toBe(60)
    expect(expectAccepted(TelemetrySchema, without(minute, 'intervalS'))).toMatchObject({ intervalS: 60 })
  })
  it.each(accepted)('is reached through TelemetrySchema: %s', (_name, input) => {
    expectAccepted(TelemetrySchema, input)
  })
})
