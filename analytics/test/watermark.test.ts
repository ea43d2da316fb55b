import { describe, expect, test } from 'vitest'
import { createWatermark } from '../src/core/create-watermark.ts'

const T0 = 1_763_800_000_000
const MIN = 60_000

describe('community measurement clock', () => {
  test.each([
    ['follows one quiet device on its own', [['A', T0], ['A', T0 + MIN], ['A', T0 + 2 * MIN]], T0 + 2 * MIN],
    ['never goes back', [['A', T0 + MIN], ['B', T0], ['C', T0 + 30_000]], T0 + MIN],
    ['ignores one device whose clock runs an hour ahead', [['A', T0], ['B', T0 + 1000], ['C', T0 + 60 * MIN], ['A', T0 + MIN]], T0 + MIN],
    ['ignores two such devices', [['A', T0], ['B', T0], ['C', T0], ['X', T0 + 60 * MIN], ['Y', T0 + 61 * MIN], ['A', T0 + MIN]], T0 + MIN],
    ['takes a jump the whole community makes (data resuming after a gap)', [['A', T0], ['B', T0], ['C', T0], ['A', T0 + 60 * MIN], ['B', T0 + 60 * MIN + 5], ['C', T0 + 60 * MIN + 9]], T0 + 60 * MIN],
    ['steps of up to five minutes are taken at once', [['A', T0], ['B', T0], ['C', T0], ['B', T0 + 5 * MIN]], T0 + 5 * MIN]
  ] as const)('%s', (_name, steps, expected) => {
    const w = createWatermark()
    for (const [d, ts] of steps) w.advance(d, ts)
    expect(w.now).toBe(expected)
  })
})
