import { describe, expect, test } from 'vitest'
import type { FireTelemetry } from '@gangwan/contracts'
import { createFireAnalyzer, FIRE_DEVICE_RULES } from '../../src/kinds/fire/create-fire-analyzer.ts'
import { NOT_HOLDING, type FireFacts, type FireRule } from '../../src/kinds/fire/fire-rule.ts'
import { createRateOfRise, type RateOfRise } from '../../src/kinds/fire/rate-of-rise.ts'
import { deviceOf, fireElevatorCommunity, fireMsg, S, T0, transitions } from '../support/kind-fixtures-fire-elevator.ts'

/** The slope as rate-of-rise.ts documents it, by brute force over every sample kept. */
function oracle (minSpanMs: number, maxSpanMs: number): { add: (ts: number, c: number) => void, current: () => RateOfRise | undefined } {
  let samples: { ts: number, c: number }[] = []
  return {
    add (ts, c) {
      samples = [...samples.filter((s) => s.ts !== ts), { ts, c }].sort((a, b) => a.ts - b.ts)
      const newest = samples[samples.length - 1]!.ts
      samples = samples.filter((s) => newest - s.ts <= maxSpanMs)
    },
    current () {
      const last = samples[samples.length - 1]
      const base = samples.slice(0, -1).filter((s) => last !== undefined && last.ts - s.ts >= minSpanMs).pop()
      if (last === undefined || base === undefined) return undefined
      return { cPerMin: ((last.c - base.c) * 60_000) / (last.ts - base.ts), fromMs: base.ts, toMs: last.ts, fromC: base.c, toC: last.c }
    }
  }
}

/** A deterministic pseudo-random source (LCG), so a failure replays. */
function lcg (seed: number): () => number {
  let s = seed
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
}

describe('rate-of-rise window', () => {
  test.each([
    ['60 s reports, some lost', 60_000, 0],
    ['alarm-time reports every 1–3 s', 2_000, 0],
    ['a flooding detector, 25 reports a second, with late and repeated samples', 40, 0.1]
  ])('agrees with the brute-force slope on every sample: %s', (_name, everyMs, lateShare) => {
    const next = lcg(everyMs)
    const w = createRateOfRise(30_000, 180_000)
    const o = oracle(30_000, 180_000)
    let t = T0
    for (let i = 0; i < 3000; i++) {
      const u = next()
      // Mostly in order; a share late (up to 20 s back) or at a time already seen.
      const ts = u < lateShare ? t - Math.floor(next() * 20_000) : u < lateShare * 1.5 ? t : (t += Math.max(1, Math.round(everyMs * (0.5 + next()))))
      const c = Math.round((22 + next() * 3 + i / 100) * 10) / 10
      w.add(ts, c)
      o.add(ts, c)
      expect(w.current()).toEqual(o.current())
    }
  })

  test('no baseline: one sample, or none old enough, or all too old', () => {
    const w = createRateOfRise(30_000, 180_000)
    expect(w.current()).toBeUndefined()
    w.add(T0, 22)
    expect(w.current()).toBeUndefined()
    w.add(T0 + 29_999, 40)
    expect(w.current()).toBeUndefined()
    w.add(T0 + 400_000, 41)
    expect(w.current()).toBeUndefined()
    w.add(T0 + 430_000, 46)
    expect(w.current()).toEqual({ cPerMin: 10, fromMs: T0 + 400_000, toMs: T0 + 430_000, fromC: 41, toC: 46 })
  })
})

describe('fire analyzer per detector', () => {
  const ctx = fireElevatorCommunity()

  test('a rule that does not apply to the detector is never judged; the others are, in order', () => {
    const judged: string[] = []
    const spy = (id: string, appliesTo?: FireRule['appliesTo']): FireRule => ({
      info: { ...FIRE_DEVICE_RULES[0]!.info, id },
      ...(appliesTo ? { appliesTo } : {}),
      judge: () => { judged.push(id); return NOT_HOLDING }
    })
    const a = createFireAnalyzer(deviceOf(ctx, 'B01-F12-S01', 'fire'), [
      spy('heat-only', (d) => d.detector === 'heat'), spy('any'), spy('smoke-only', (d) => d.detector === 'smoke')
    ])
    a.observe(fireMsg(T0))
    a.observe(fireMsg(T0 + 60 * S))
    expect(judged).toEqual(['any', 'smoke-only', 'any', 'smoke-only'])
  })

  test('the rate of rise reaches only detectors whose rules read it', () => {
    const seen: (number | undefined)[] = []
    const reader = (usesRise: boolean): FireRule => ({
      info: { ...FIRE_DEVICE_RULES[0]!.info, id: 'reader' },
      ...(usesRise ? { usesRise } : {}),
      judge: (f: FireFacts) => { seen.push(f.rise?.cPerMin); return undefined }
    })
    for (const usesRise of [true, false]) {
      const a = createFireAnalyzer(deviceOf(ctx, 'B01-F12-H01', 'fire'), [reader(usesRise)])
      a.observe(fireMsg(T0, { temperatureC: 22 }))
      a.observe(fireMsg(T0 + 60 * S, { temperatureC: 32 }))
    }
    expect(seen).toEqual([undefined, 10, undefined, undefined])
  })

  test('a heat detector flooding the hub (25 reports a second for 4 min) raises rate of rise once, on time', () => {
    const a = createFireAnalyzer(deviceOf(ctx, 'B01-F12-H01', 'fire'))
    const signals = []
    // 22 °C steady for 2 min, then rising 12 °C/min: 8.3 °C/min is reached 30 s into the rise
    // (the baseline is the sample 30 s back), the first report at which the slope is ≥ 8.3.
    for (let ms = 0; ms <= 240_000; ms += 40) {
      const c = ms <= 120_000 ? 22 : 22 + ((ms - 120_000) / 60_000) * 12
      signals.push(...a.observe(fireMsg(T0 + ms, { temperatureC: Math.round(c * 10) / 10 })))
    }
    const raised = transitions(signals).filter((x) => x.startsWith('+fire.heat_rate_of_rise'))
    expect(raised).toHaveLength(1)
    const at = Number(raised[0]!.split('@')[1])
    expect(at).toBeGreaterThan(120 + 20)
    expect(at).toBeLessThanOrEqual(120 + 30)
  })

  test('a report that changes nothing answers with the shared empty result, which cannot be appended to', () => {
    const a = createFireAnalyzer(deviceOf(ctx, 'B01-F12-S01', 'fire'))
    expect(a.observe(fireMsg(T0)).length).toBeGreaterThan(0) // first verdicts
    const quiet: FireTelemetry = fireMsg(T0 + 60 * S)
    const out = a.observe(quiet)
    expect(out).toEqual([])
    expect(a.observe(fireMsg(T0 + 120 * S))).toBe(out)
    expect(() => { out.push(out[0]!) }).toThrow(TypeError)
  })
})
