import { describe, expect, it } from 'vitest'
import { ClockTimeSchema, IdSchema, SequencedSchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects } from './support/table.ts'


describe('IdSchema', () => {
  it.each(['B03-F12-S01', 'GW-B03', 'a', 'x'.repeat(64), 'under_score', '0'])('accepts %j', (id) => {
    expectAccepted(IdSchema, id)
  })
  // Every rejected character would break an MQTT topic level, an InfluxDB tag or a URL segment.
  it.each([
    '', 'x'.repeat(65), 'a/b', '+', '#', 'GW-1/#', 'a b', 'a.b', 'a:b', 'a,b', 'a=b', '$SYS', '港湾', 'é', 'a\n', 'a\u0000'
  ])('rejects %j', (id) => {
    expectRejected(IdSchema, id, '(root)')
  })
  it.each([7, null, undefined, ['a']])('rejects the non-string %j', (id) => {
    expectRejected(IdSchema, id, '(root)')
  })
})

describe('SequencedSchema', () => {
  const valid = { seq: 0, ts: 1_763_800_000_000 }
  it.each([
    ['seq 0 at 2000-01-01', { seq: 0, ts: 946_684_800_000 }],
    ['the largest seq at 2100-01-01', { seq: Number.MAX_SAFE_INTEGER, ts: 4_102_444_800_000 }],
    ['boot counter x 1e9 + count', { seq: 42 * 1e9 + 17, ts: 1_763_800_000_000 }]
  ])('accepts %s', (_name, input) => {
    expect(expectAccepted(SequencedSchema, input)).toEqual(input)
  })
  // The non-strict base drops unknown keys; each kind's schema adds .strict() (tested per kind).
  it.each(fieldRejects(valid, SEQUENCED_FIELDS).filter((c) => c.path !== '(root)'))('rejects $name', ({ input, path }) => {
    expectRejected(SequencedSchema, input, path)
  })
  it('names the unit when ts looks like seconds', () => {
    const r = SequencedSchema.safeParse({ seq: 1, ts: 1_763_800_000 })
    expect(r.error?.issues[0]?.message).toMatch(/epoch milliseconds/)
  })
})

describe('ClockTimeSchema', () => {
  it.each(['00:00', '06:00', '22:00', '23:59', '09:05'])('accepts %j', (t) => {
    expectAccepted(ClockTimeSchema, t)
  })
  it.each(['24:00', '6:00', '06:60', '06:00:00', '0600', '', ' 06:00', '06h00', '-1:00'])('rejects %j', (t) => {
    expectRejected(ClockTimeSchema, t, '(root)')
  })
})
