import { describe, expect, test } from 'vitest'
import { createClockReference, DEFAULT_CLOCK_REFERENCE_OPTIONS, type ClockReference, type ClockReferenceOptions } from '../src/health/create-clock-reference.ts'

const T0 = 1_763_800_000_000
const W0 = 1_700_000_000_000

/**
 * The reference as its documentation states it, written plainly (arrays, a Map in hearing order,
 * sorted copies for medians): the implementation keeps rings, a linked list and scratch buffers so
 * that it allocates nothing per message, and must give exactly the same numbers.
 */
function oracle (options: Partial<ClockReferenceOptions>): ClockReference {
  const o = { ...DEFAULT_CLOCK_REFERENCE_OPTIONS, ...options }
  const sources = new Map<string, { recv: number[], off: number[], rate?: number }>()
  const recent = new Map<string, { recv: number[], off: number[], rate?: number }>()
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b)
    const m = s.length >> 1
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
  }
  const fit = (recv: number, maxAgeMs: number, except?: string) => {
    const usable = [...recent].filter(([id, p]) => id !== except && p.rate !== undefined && recv - p.recv.at(-1)! <= maxAgeMs).map(([, p]) => p)
    if (usable.length < o.minPeers) return undefined
    const rate = median(usable.map((p) => p.rate!))
    return { rate, c0: median(usable.map((p) => p.off.at(-1)! - rate * p.recv.at(-1)!)), peers: usable.length }
  }
  // The line is refitted when it was fitted on fewer than 9 peers, else reused for 16 messages.
  let cached: { rate: number, c0: number } | undefined
  let reuse = 0
  // The rate of the latest fit: the slope, which also shortens the peers' wall-clock age limit.
  let latest: number | undefined
  return {
    slope: () => latest === undefined ? undefined : 1 + latest,
    observe (source, ts, recv) {
      let line = reuse-- > 0 ? cached : undefined
      if (line === undefined) {
        const f = fit(recv, o.maxPeerAgeMs / Math.max(1, 1 + (latest ?? 0)), source)
        if (f !== undefined) latest = f.rate
        cached = f !== undefined && f.peers >= 9 ? f : undefined
        reuse = cached ? 16 : 0
        line = f
      }
      const c = line === undefined ? undefined : line.c0 + line.rate * recv
      const src = sources.get(source) ?? { recv: [], off: [] }
      sources.set(source, src)
      src.recv = [...src.recv, recv].slice(-o.rateSamples)
      src.off = [...src.off, ts - recv].slice(-o.rateSamples)
      const span = src.recv.at(-1)! - src.recv[0]!
      if (span > 0) src.rate = (src.off.at(-1)! - src.off[0]!) / span
      recent.delete(source)
      recent.set(source, src)
      if (recent.size > o.peers) recent.delete(recent.keys().next().value!)
      return c === undefined ? undefined : ts - recv - c
    },
    at (recv) {
      const line = fit(recv, Infinity)
      return line === undefined ? undefined : recv + line.c0 + line.rate * recv
    }
  }
}

describe('clock reference', () => {
  test.each([
    { name: 'a few devices in real time', devices: 4, speed: 1, options: {} },
    { name: 'many devices in a 60× replay', devices: 400, speed: 60, options: {} },
    { name: 'more devices than peers, backlogged ones among them', devices: 60, speed: 1, options: {} },
    { name: 'small peer set and short rate history', devices: 30, speed: 60, options: { peers: 5, minPeers: 2, rateSamples: 3 } },
    { name: 'one sample of rate history (no rate ever)', devices: 6, speed: 1, options: { rateSamples: 1 } }
  ])('gives exactly the documented numbers: $name', ({ devices, speed, options }) => {
    let seed = devices
    const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const ref = createClockReference(options)
    const plain = oracle(options)
    let wall = W0
    let ts = T0
    for (let i = 0; i < 4000; i++) {
      const step = Math.floor(next() * 40)
      wall += step
      ts += step * speed
      // Some devices more talkative than others; every 7th 30 s ahead; a few deliveries 200 s late.
      const k = Math.floor(next() * next() * devices)
      const recv = wall + Math.floor(next() * 30) + (next() < 0.01 ? 200_000 : 0)
      const msgTs = ts + (k % 7 === 0 ? 30_000 : 0)
      expect(ref.observe(`D${k}`, msgTs, recv)).toBe(plain.observe(`D${k}`, msgTs, recv))
      expect(ref.slope()).toBe(plain.slope())
      if (i % 50 === 0) expect(ref.at(recv)).toBe(plain.at(recv))
    }
  })

  test.each([1, 60, 600])('slope: measurement ms per wall ms at %i×, through ±20 ms of delivery jitter', (speed) => {
    let seed = speed
    const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const ref = createClockReference()
    expect(ref.slope()).toBeUndefined()
    // 200 devices, each every 60 s of measurement time, in a random order.
    for (let t = 0; t < 30 * 60_000; t += 300) {
      ref.observe(`D${Math.floor(next() * 200)}`, T0 + t, W0 + t / speed + (next() * 2 - 1) * 20)
    }
    expect(Math.abs(ref.slope()! / speed - 1)).toBeLessThan(0.05)
  })
})
