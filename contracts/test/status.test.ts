import { describe, expect, it } from 'vitest'
import { StatusSchema } from '../src/index.ts'
import { expectAccepted, expectRejected, fieldRejects, type RejectCase } from './support/table.ts'


const online = { state: 'online', ts: 1_763_800_000_000, reason: 'boot' }

const accepted: [string, unknown][] = [
  ['online with time and reason', online],
  ['the last will: no ts, fixed at connect time', { state: 'offline', reason: 'last-will' }],
  ['bare offline', { state: 'offline' }],
  ['clean shutdown', { state: 'offline', ts: 1_763_800_000_000, reason: 'shutdown' }],
  ['a 200-character reason', { state: 'online', reason: 'r'.repeat(200) }]
]

const rejected: RejectCase[] = fieldRejects(online, {
  state: { required: true, bad: ['up', 'ONLINE', true, null] },
  ts: { required: false, bad: [0, -1, 1.5, '1763800000000'] },
  reason: { required: false, bad: ['r'.repeat(201), 42] }
})

describe('StatusSchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(StatusSchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(StatusSchema, input, path)
  })
})
