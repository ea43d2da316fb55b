import { describe, expect, it } from 'vitest'
import { DEVICE_KINDS, type DeviceKind } from '@gangwan/contracts'
import { FEATURE_SETS } from '../../src/models/features/feature-sets.ts'
import { createSlidingWindow } from '../../src/models/sliding-window.ts'
import { deviceOf, MIN, smallCommunity, stream, T0 } from './support.ts'

const { community, ctx } = smallCommunity()

function windowOf<K extends DeviceKind> (kind: K, faults: Parameters<typeof stream>[4] = [], pick?: Parameters<typeof deviceOf<K>>[2]): { x: Float32Array, names: string[] } {
  const fs = FEATURE_SETS[kind]
  const dev = deviceOf(community, kind, pick)
  const hours = kind === 'falling_object' ? 24 * 14 : 6
  const msgs = stream(community, dev, T0, T0 + hours * 60 * MIN, faults)
  expect(msgs.length).toBeGreaterThanOrEqual(fs.window)
  const p = fs.prepare(ctx.device(dev.id)! as never)
  expect(p).not.toBeNull()
  return { x: fs.extract(msgs.slice(-fs.window) as never, p), names: fs.features.map((f) => f.name) }
}

describe('feature sets', () => {
  it.each(DEVICE_KINDS)('%s: a documented, fixed-length, finite vector with unique names', (kind) => {
    const fs = FEATURE_SETS[kind]
    expect(fs.id).toBe(`${kind}/v1`)
    expect(new Set(fs.features.map((f) => f.name)).size).toBe(fs.features.length)
    expect(fs.features.every((f) => f.description.length > 10)).toBe(true)
    const { x } = windowOf(kind)
    expect(x).toBeInstanceOf(Float32Array)
    expect(x.length).toBe(fs.features.length)
    expect([...x].every(Number.isFinite)).toBe(true)
  })

  it('sees a stuck smoke sensor as repeats and a dropout as lost seq numbers', () => {
    const clean = windowOf('fire', [], (d) => d.detector === 'smoke')
    const stuck = windowOf('fire', [{ type: 'stuck', fromMs: T0, field: 'smokeDbM' }], (d) => d.detector === 'smoke')
    const lost = windowOf('fire', [{ type: 'dropout', fromMs: T0, probability: 0.3, mode: 'lose' }], (d) => d.detector === 'smoke')
    const at = (name: string): number => clean.names.indexOf(name)
    expect(stuck.x[at('smoke.repeats')]).toBe(1)
    expect(clean.x[at('smoke.repeats')]).toBeLessThan(0.5)
    expect(clean.x[at('loss')]).toBe(0)
    expect(lost.x[at('loss')]).toBeGreaterThan(0.1)
  })

  it('tells a heat detector (no smoke) and refuses a manual call point', () => {
    const heat = windowOf('fire', [], (d) => d.detector === 'heat')
    expect(heat.x[0]).toBe(0)
    const mcp = deviceOf(community, 'fire', (d) => d.detector === 'manual_call_point')
    expect(FEATURE_SETS.fire.prepare(ctx.device(mcp.id)! as never)).toBeNull()
  })

  it('measures door cycles: wear lengthens the opening time', () => {
    const clean = windowOf('elevator')
    const worn = windowOf('elevator', [{ type: 'door_wear', fromMs: T0, rampMs: 1, extraOpeningMs: 3000, extraClosingMs: 0 }])
    const at = clean.names.indexOf('door.openingMean')
    // Midday: the window holds complete door cycles. Normal opening is 2 s (0.4 in units of 5 s).
    expect(clean.x[at]).toBeCloseTo(0.4, 1)
    expect(worn.x[at]).toBeGreaterThan(clean.x[at]! + 0.3)
  })
})

describe('sliding window', () => {
  it('releases the last W messages once full, then every stride, and refuses older messages', () => {
    const w = createSlidingWindow<{ ts: number }>(3, 2)
    const got = [1, 2, 3, 4, 5, 6, 7].map((ts) => w.push({ ts })?.map((m) => m.ts) ?? null)
    expect(got).toEqual([null, null, [1, 2, 3], null, [3, 4, 5], null, [5, 6, 7]])
    expect(w.push({ ts: 6 })).toBeNull()
    expect(w.refused).toBe(1)
  })
})
