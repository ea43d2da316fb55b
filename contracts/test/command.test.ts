import { describe, expect, it } from 'vitest'
import { CommandAckSchema, CommandSchema, SilenceArgsSchema } from '../src/index.ts'
import { expectAccepted, expectRejected, fieldRejects, type RejectCase } from './support/table.ts'


describe('CommandSchema', () => {
  const silence = { id: 'c-77', name: 'silence', ts: 1_763_800_000_000, args: { durationS: 300 } }
  it.each([
    ['silence with args', silence],
    ['a 64-character id and name', { ...silence, id: 'i'.repeat(64), name: `n${'_'.repeat(63)}` }],
    ['nested args', { ...silence, name: 'config', args: { reportIntervalS: 60, thresholds: { smokeDbM: 0.1 }, tags: ['a'] } }]
  ])('accepts %s', (_name, input) => {
    expect(expectAccepted(CommandSchema, input)).toEqual(input)
  })
  it('defaults args to {}', () => {
    expect(expectAccepted(CommandSchema, { id: 'c-1', name: 'reset', ts: 1 }).args).toEqual({})
  })
  const rejected: RejectCase[] = [
    ...fieldRejects(silence, {
      id: { required: true, bad: ['', 'i'.repeat(65), 77] },
      // Names are lower snake case starting with a letter, at most 64 characters.
      name: { required: true, bad: ['', 'Silence', '1reset', 'set-config', 'set config', `n${'x'.repeat(64)}`, 3] },
      ts: { required: true, bad: [0, -5, 1.5, '1763800000000'] },
      args: { required: false, bad: [[], 'x', null, 5] }
    })
  ]
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(CommandSchema, input, path)
  })
})

describe('CommandAckSchema', () => {
  const ok = { id: 'c-77', ok: true, ts: 1_763_800_000_500 }
  it.each([
    ['success', ok],
    ['failure with a reason', { id: 'c-78', ok: false, ts: 1_763_800_000_500, error: 'unknown command "reboot"' }],
    ['a 500-character error', { ...ok, ok: false, error: 'e'.repeat(500) }]
  ])('accepts %s', (_name, input) => {
    expect(expectAccepted(CommandAckSchema, input)).toEqual(input)
  })
  const rejected: RejectCase[] = fieldRejects({ ...ok, error: 'x' }, {
    id: { required: true, bad: ['', 'i'.repeat(65), null] },
    ok: { required: true, bad: ['true', 1] },
    ts: { required: true, bad: [0, 2.5, '1'] },
    error: { required: false, bad: ['e'.repeat(501), { message: 'x' }] }
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(CommandAckSchema, input, path)
  })
})

describe('SilenceArgsSchema', () => {
  it.each([[{ durationS: 1 }], [{ durationS: 86_400 }]])('accepts %j', (input) => {
    expect(expectAccepted(SilenceArgsSchema, input)).toEqual(input)
  })
  it.each([[{}], [{ durationS: 0 }], [{ durationS: 86_401 }], [{ durationS: 1.5 }], [{ durationS: '300' }], [{ durationS: 300, extra: 1 }]])('rejects %j', (input) => {
    expect(SilenceArgsSchema.safeParse(input).success).toBe(false)
  })
})
