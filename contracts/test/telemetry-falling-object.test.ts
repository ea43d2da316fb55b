import { describe, expect, it } from 'vitest'
import { FallingObjectTelemetrySchema, TelemetrySchema } from '../src/index.ts'
import { SEQUENCED_FIELDS, expectAccepted, expectRejected, fieldRejects, withField, type RejectCase } from './support/table.ts'


const event = {
  kind: 'falling_object', seq: 5, ts: 1_763_800_000_000, eventId: 'C-B07-S-20261122-0001', building: 'B07', facade: 'S',
  confidence: 0.93, clip: 'nvr://B07-S/20261122/133500.mp4',
  trajectory: [{ t: 0, x: 12.1, h: 50.4 }, { t: 0.5, x: 12.2, h: 49.2 }, { t: 1, x: 12.3, h: 45.5 }]
}
const point = { t: 0, x: 12.1, h: 50.4 }
/** `event` with its trajectory replaced. */
const track = (...points: unknown[]): Record<string, unknown> => withField(event, 'trajectory', points)

const accepted: [string, unknown][] = [
  ['a three-point track', event],
  ['the shortest track: two points', track({ t: 0, x: 3, h: 30 }, { t: 0.04, x: 3, h: 29.99 })],
  ['a track that does not start at t = 0', track({ t: 0.2, x: 3, h: 30 }, { t: 0.24, x: 3, h: 29.99 })],
  ['1000 points at 25 fps', withField(event, 'trajectory', Array.from({ length: 1000 }, (_, i) => ({ t: i * 0.04, x: 12, h: 900 - i * 0.5 })))],
  ['point range edges', track({ t: 0, x: -50, h: 1000 }, { t: 60, x: 1000, h: -5 })],
  ['confidence 0', { ...event, confidence: 0 }],
  ['confidence 1', { ...event, confidence: 1 }]
]

const rejected: RejectCase[] = [
  ...fieldRejects(event, {
    ...SEQUENCED_FIELDS,
    kind: { required: true, bad: ['falling-object', 'fallingObject'] },
    eventId: { required: true, bad: ['', 'e'.repeat(129), 1] },
    building: { required: true, bad: ['', 'B 07', 'B07/S', '#', 'B'.repeat(65)] },
    facade: { required: true, bad: ['', 'S+', 7] },
    trajectory: { required: true, bad: [[], [point], Array.from({ length: 1001 }, (_, i) => ({ t: i * 0.04, x: 1, h: 500 })), 'track'] },
    confidence: { required: true, bad: [-0.01, 1.01, '0.93', null] },
    clip: { required: true, bad: ['', 'c'.repeat(513)] }
  }),
  { name: 'two points at the same time', input: track({ t: 0, x: 1, h: 30 }, { t: 0, x: 1, h: 29 }), path: 'trajectory' },
  { name: 'times going backwards', input: track({ t: 0, x: 1, h: 30 }, { t: 0.5, x: 1, h: 29 }, { t: 0.4, x: 1, h: 28 }), path: 'trajectory' },
  { name: 'a point at t < 0', input: track({ t: -0.1, x: 1, h: 30 }, point), path: 'trajectory.0.t' },
  { name: 'a point after 60 s', input: track(point, { t: 60.1, x: 1, h: 1 }), path: 'trajectory.1.t' },
  { name: 'x beyond the facade range', input: track(point, { t: 1, x: 1000.1, h: 1 }), path: 'trajectory.1.x' },
  { name: 'x far left of the facade', input: track(point, { t: 1, x: -50.1, h: 1 }), path: 'trajectory.1.x' },
  { name: 'h below ground tolerance', input: track(point, { t: 1, x: 1, h: -5.1 }), path: 'trajectory.1.h' },
  { name: 'h above 1000 m', input: track(point, { t: 1, x: 1, h: 1000.1 }), path: 'trajectory.1.h' },
  { name: 'a point missing h', input: track(point, { t: 1, x: 1 }), path: 'trajectory.1.h' },
  { name: 'a point with an extra field', input: track(point, { t: 1, x: 1, h: 1, y: 2 }), path: 'trajectory.1' },
  { name: 'a point given as an array', input: track(point, [1, 1, 1]), path: 'trajectory.1' }
]

describe('FallingObjectTelemetrySchema', () => {
  it.each(accepted)('accepts %s', (_name, input) => {
    expect(expectAccepted(FallingObjectTelemetrySchema, input)).toEqual(input)
  })
  it.each(rejected)('rejects $name', ({ input, path }) => {
    expectRejected(FallingObjectTelemetrySchema, input, path)
  })
  it.each(accepted)('is reached through TelemetrySchema: %s', (_name, input) => {
    expectAccepted(TelemetrySchema, input)
  })
})
