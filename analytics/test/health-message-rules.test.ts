import { readFileSync } from 'node:fs'
import { CommunitySchema, type CommunityInput, type Telemetry } from '@gangwan/contracts'
import pino from 'pino'
import { describe, expect, test } from 'vitest'
import type { CommunityContext } from '../src/core/context.ts'
import { createCommunityContext } from '../src/core/create-community-context.ts'
import type { Observation } from '../src/core/observation.ts'
import type { Signal } from '../src/core/signal.ts'
import { createClockReference } from '../src/health/create-clock-reference.ts'
import { createHealthMonitor } from '../src/health/create-health-monitor.ts'
import { HEALTH_RULES } from '../src/health/health-rules.ts'

const T0 = 1_763_800_000_000
const W0 = 1_700_000_000_000
const S = 1000

/** The context of test-support/fixtures/mini-community.json, with site settings on top. */
function miniContext (analytics: CommunityInput['analytics'] = {}): CommunityContext {
  const raw = JSON.parse(readFileSync(new URL('../../test-support/fixtures/mini-community.json', import.meta.url), 'utf8'))
  return createCommunityContext(CommunitySchema.parse({ ...raw, analytics }), pino({ level: 'silent' }))
}

const telemetry = (device: string, msg: Telemetry, gateway = 'GW-B01'): Observation =>
  ({ type: 'telemetry', device, gateway, msg, receivedAt: W0 + msg.ts - T0 })
const fume = (seq: number, tsS: number, fumeMgM3 = 0.5 + (seq % 7) / 100): Observation =>
  telemetry('R01-FM', { kind: 'fume', seq, ts: T0 + tsS * S, fumeMgM3, particulateMgM3: 1, nmhcMgM3: 3, fanCurrentA: 3, fanOn: true, purifierCurrentA: 1, purifierOn: true })
const summary = (signals: Signal[]): string[] => signals.map((s) => `${s.active ? '+' : '-'}${s.ruleId} ${s.subject}`)
const feed = (ctx: CommunityContext, obs: Observation[]): Signal[] => {
  const health = createHealthMonitor(ctx)
  return obs.flatMap((o) => health.observe(o))
}

describe('health.seq-gap', () => {
  // The direct noise meter: no gateway whose silence could explain its gaps.
  const seqs = (pairs: [number, number][]) => pairs.map(([seq, tsS]) => telemetry('N-G01-01', {
    kind: 'noise', seq, ts: T0 + tsS * S, intervalS: 60, leq: 50 + (seq % 7) / 10, lmax: 70, lmin: 40, l10: 58, l50: 52, l90: 45, valid: true
  }, 'N-G01-01'))
  const run = (n: number, from: number, tsFrom: number): [number, number][] => Array.from({ length: n }, (_, i) => [from + i, tsFrom + 60 * i])
  test.each<{ name: string, pairs: [number, number][], analytics?: CommunityInput['analytics'], expected: string[] }>([
    { name: 'consecutive seqs', pairs: run(6, 0, 0), expected: [] },
    { name: '3 missing: data lost upstream', pairs: [[0, 0], [1, 60], [2, 120], [6, 360]], expected: ['+health.seq-gap N-G01-01'] },
    { name: 'restart: seq back to 0 with ts going on is a new sequence', pairs: [...run(5, 100, 0), ...run(3, 0, 300)], expected: [] },
    { name: 'after a restart the new sequence is followed: its gaps count', pairs: [...run(5, 100, 0), ...run(3, 0, 300), [5, 600]], expected: ['+health.seq-gap N-G01-01'] },
    { name: 'a late delivery that fills the gap clears it (never lost)', pairs: [[0, 0], [1, 60], [3, 180], [2, 120], [4, 240]], expected: ['+health.seq-gap N-G01-01', '-health.seq-gap N-G01-01'] },
    { name: 'a late delivery outside any gap is no restart and no gap', pairs: [[0, 0], [1, 60], [2, 120], [1, 60], [3, 180]], expected: [] },
    { name: 'cleared after 10 in-order messages', pairs: [[0, 0], [2, 120], ...run(10, 3, 180)], expected: ['+health.seq-gap N-G01-01', '-health.seq-gap N-G01-01'] },
    { name: 'minSeqGap 3: 2 missing is tolerated', pairs: [[0, 0], [3, 180]], analytics: { health: { minSeqGap: 3 } }, expected: [] },
    { name: 'minSeqGap 3: 3 missing is not', pairs: [[0, 0], [4, 240]], analytics: { health: { minSeqGap: 3 } }, expected: ['+health.seq-gap N-G01-01'] }
  ])('$name', ({ pairs, analytics, expected }) => {
    expect(summary(feed(miniContext(analytics), seqs(pairs)))).toEqual(expected)
  })

  test('explains what was lost and since when', () => {
    const [gap] = feed(miniContext(), seqs([[0, 0], [1, 60], [2, 120], [6, 360]]))
    expect(gap).toMatchObject({
      at: T0 + 360 * S, severity: 'P4', device: 'N-G01-01', kind: 'noise', location: { grid: 'G01', building: 'B01' },
      trigger: { values: { device: 'N-G01-01', expected: 3, got: 6, missing: 3, devicesInEpisode: 1 }, window: { fromMs: T0 + 120 * S, toMs: T0 + 360 * S } }
    })
  })
})

describe('health.flat-line', () => {
  const fire = (n: number, temp: (i: number) => number, smoke: (i: number) => number = (i) => 0.01 + (i % 5) / 1000) =>
    Array.from({ length: n }, (_, i) => telemetry('B01-F12-S01', { kind: 'fire', seq: i, ts: T0 + i * 60 * S, temperatureC: temp(i), smokeDbM: smoke(i), alarm: false, fault: false, tamper: false }))
  const noise = (valid: boolean[]) => valid.map((v, i) =>
    telemetry('N-G01-01', { kind: 'noise', seq: i, ts: T0 + i * 60 * S, intervalS: 60, leq: v ? 52 : 50 + (i % 5), lmax: 70, lmin: 40, l10: 58, l50: 52, l90: 45, valid: v }, 'N-G01-01'))
  const still = Array.from({ length: 40 }, (_, i) =>
    telemetry('E-B01-1-C', { kind: 'elevator', seq: i, ts: T0 + i * 10 * S, floor: 1, direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, mode: 'normal', faultCodes: [] }))
  test.each<{ name: string, obs: Observation[], expected: string[] }>([
    { name: '29 identical temperatures: not yet', obs: fire(29, () => 22), expected: [] },
    { name: '30 identical temperatures: flat', obs: fire(30, () => 22), expected: ['+health.flat-line B01-F12-S01'] },
    { name: 'then one that differs clears it', obs: fire(31, (i) => i < 30 ? 22 : 22.1), expected: ['+health.flat-line B01-F12-S01', '-health.flat-line B01-F12-S01'] },
    { name: 'smoke stuck while the temperature moves', obs: fire(30, (i) => 22 + (i % 3) / 10, () => 0.012), expected: ['+health.flat-line B01-F12-S01'] },
    { name: 'a live sensor never repeats 30 times', obs: fire(100, (i) => 22 + (i % 4) / 10), expected: [] },
    { name: 'noise leq: invalid (rain, wind) samples neither extend nor break the run', obs: noise([...Array(20).fill(true), ...Array(5).fill(false), ...Array(10).fill(true)]), expected: ['+health.flat-line N-G01-01'] },
    { name: 'fume is judged by fume.probe-flat, not here', obs: Array.from({ length: 40 }, (_, i) => fume(i, i * 60, 0.8)), expected: [] },
    { name: 'a lift standing still is not a flat line', obs: still, expected: [] }
  ])('$name', ({ obs, expected }) => {
    expect(summary(feed(miniContext(), obs))).toEqual(expected)
  })

  test('explains which field, its value and since when', () => {
    const [flat] = feed(miniContext(), fire(30, (i) => 22 + (i % 3) / 10, () => 0.012))
    expect(flat).toMatchObject({ at: T0 + 29 * 60 * S, trigger: { values: { fields: 'smokeDbM', smokeDbM: 0.012, samples: 30 }, window: { fromMs: T0 } } })
  })
})

describe('health.low-battery', () => {
  const beat = (pcts: number[], device?: string): Observation[] => pcts.map((batteryPct, i) =>
    ({ type: 'heartbeat', client: 'GW-B01', ...(device ? { device } : {}), heartbeat: { seq: i, ts: T0 + i * 60 * S, uptimeS: i * 60, batteryPct }, receivedAt: W0 + i * 60 * S }))
  const fireBattery = (pct: number): Observation =>
    telemetry('B01-F12-S02', { kind: 'fire', seq: 0, ts: T0, temperatureC: 22, smokeDbM: 0.01, alarm: false, fault: false, tamper: false, batteryPct: pct })
  test.each<{ name: string, obs: Observation[], analytics?: CommunityInput['analytics'], expected: string[] }>([
    { name: 'gateway battery below 20 %, clears only at 25 % (hysteresis)', obs: beat([30, 19, 22, 19, 24, 25]), expected: ['+health.low-battery GW-B01', '-health.low-battery GW-B01'] },
    { name: 'a device heartbeat behind the gateway', obs: beat([21, 18], 'E-B01-1-C'), expected: ['+health.low-battery E-B01-1-C'] },
    { name: 'a fire detector\'s telemetry, with fire.lowBatteryPct', obs: [fireBattery(15)], expected: ['+health.low-battery B01-F12-S02'] },
    { name: 'fire.lowBatteryPct 10 applies to detectors, not to the gateway', obs: [fireBattery(15), ...beat([15])], analytics: { fire: { lowBatteryPct: 10 } }, expected: ['+health.low-battery GW-B01'] }
  ])('$name', ({ obs, analytics, expected }) => {
    expect(summary(feed(miniContext(analytics), obs))).toEqual(expected)
  })
})

describe('health rules and clock reference', () => {
  test('rules are documented, unique and all device_health', () => {
    const health = createHealthMonitor(miniContext())
    expect(health.rules.map((r) => r.id)).toEqual(['health.offline', 'health.gateway-offline', 'health.seq-gap', 'health.clock-skew', 'health.flat-line', 'health.low-battery'])
    expect(new Set(HEALTH_RULES.map((r) => r.id)).size).toBe(HEALTH_RULES.length)
    for (const r of health.rules) expect(r).toMatchObject({ category: 'device_health', version: '1', clause: expect.stringMatching(/\S/) })
    expect(health.rules.find((r) => r.id === 'health.clock-skew')!.clause).toContain('5 s')
  })

  test.each([
    { speed: 1, devices: 4, name: 'real time, 4 devices' },
    { speed: 60, devices: 4, name: '60× replay, 4 devices' },
    { speed: 60, devices: 24, name: '60× replay, 24 devices (line reused between fits)' }
  ])('the reference follows the community clock: $name, one device 30 s ahead', ({ speed, devices }) => {
    const ref = createClockReference()
    const offsets: number[] = []
    let flagged = 0
    // Every device reports every 10 s of measurement time, spread evenly; the last one is 30 s ahead.
    const step = 10 * S / devices
    for (let i = 0; i * step < 600 * S; i++) {
      const t = i * step
      const k = i % devices
      const off = ref.observe(`D${k}`, T0 + t + (k === devices - 1 ? 30 * S : 0), W0 + t / speed)
      if (off === undefined) continue
      if (k !== devices - 1) offsets.push(off)
      else if (Math.abs(off - 30 * S) < 100) flagged++
    }
    expect(offsets.length).toBeGreaterThan(100)
    expect(Math.max(...offsets.map(Math.abs))).toBeLessThan(10)
    expect(flagged).toBeGreaterThan(50)
    expect(ref.at(W0 + 600 * S / speed)).toBeCloseTo(T0 + 600 * S, -2)
  })
})
