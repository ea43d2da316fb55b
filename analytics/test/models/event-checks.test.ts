import { afterEach, describe, expect, it } from 'vitest'
import type { DeviceKind, ElevatorTelemetry, FireTelemetry, FumeTelemetry, NoiseTelemetry, TelemetryOf } from '@gangwan/contracts'
import type { Signal } from '../../src/core/signal.ts'
import { createAnomalyStage, type AnomalyStage } from '../../src/models/create-anomaly-stage.ts'
import { EVENT_CHECKS } from '../../src/models/event-checks.ts'
import { createSignalHysteresis } from '../../src/models/signal-hysteresis.ts'
import { deviceOf, log, MIN, MODELS_DIR, smallCommunity, stream, T0 } from './support.ts'

const { community, ctx } = smallCommunity()
const S = 1000

function holds<K extends DeviceKind> (kind: K, id: string, msgs: TelemetryOf<K>[]): boolean {
  const check = EVENT_CHECKS[kind]!
  return check.holds(msgs as never, check.prepare(ctx.device(id) as never))
}

const fire = (i: number, f: Partial<FireTelemetry> = {}): FireTelemetry =>
  ({ kind: 'fire', seq: i, ts: T0 + i * MIN, smokeDbM: 0.01, temperatureC: 22, alarm: false, fault: false, tamper: false, ...f })
const fume = (i: number, f: Partial<FumeTelemetry> = {}): FumeTelemetry =>
  ({ kind: 'fume', seq: i, ts: T0 + i * MIN, fumeMgM3: 0.4, particulateMgM3: 1, nmhcMgM3: 3, fanCurrentA: 3, fanOn: true, purifierCurrentA: 0.8, purifierOn: true, ...f })
const lift = (i: number, f: Partial<ElevatorTelemetry> = {}): ElevatorTelemetry =>
  ({ kind: 'elevator', seq: i, ts: T0 + i * 10 * S, floor: 3, direction: 'stop', speedMps: 0, door: 'closed', inDoorZone: true, passenger: false, mode: 'normal', faultCodes: [], ...f })
/** Noise minutes from local `hour` (T0 is 08:00 in Guiyang) at `leq`, with `lmax` where given. */
const noise = (hour: number, n: number, leq: number, lmax = (_i: number) => leq + 10): NoiseTelemetry[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'noise', seq: i, ts: T0 + (hour - 8) * 60 * MIN + i * MIN, intervalS: 60, leq, lmax: lmax(i), lmin: leq - 8, l10: leq + 3, l50: leq - 1, l90: leq - 5, valid: true }))

const heat = deviceOf(community, 'fire', (d) => d.detector === 'heat' && d.heatClass === 'A1')
const meter = ctx.device(deviceOf(community, 'noise').id)!
const limits = ctx.settings.noise.limits[meter.device.kind === 'noise' ? (meter.device.zoneClass ?? meter.grid.zoneClass) : '1']
const restaurant = deviceOf(community, 'fume')
const limit = community.restaurants.find((r) => r.id === restaurant.restaurant)!.fumeLimitMgM3

describe('event checks: a window the kind\'s rules judge as a real event', () => {
  it.each<[string, FireTelemetry[], boolean]>([
    ['quiet readings', [fire(0), fire(1)], false],
    ['the detector in alarm', [fire(0), fire(1, { alarm: true })], true],
    ['a manual call point pressed', [fire(0, { manualCall: true })], true],
    ['smoke at the 0.05 dB/m pre-alarm level (GB 4715-2024 §5.7)', [fire(0, { smokeDbM: 0.05 })], true],
    ['smoke just under it', [fire(0, { smokeDbM: 0.049 })], false],
    ['class A1 heat at 54 °C (GB 4716 static response)', [fire(0, { temperatureC: 54 })], true],
    ['53.9 °C', [fire(0, { temperatureC: 53.9 })], false]
  ])('fire: %s → %s', (_name, msgs, expected) => {
    expect(holds('fire', heat.id, msgs)).toBe(expected)
  })

  it.each<[string, FumeTelemetry[], boolean]>([
    ['fume under the limit, purifier running', [fume(0), fume(1)], false],
    ['a reading over the restaurant limit (GB 18483-2001)', [fume(0), fume(1, { fumeMgM3: limit + 0.1 })], true],
    ['fan on, purifier off (illegal discharge)', [fume(0, { purifierOn: false, purifierCurrentA: 0 })], true],
    ['fan and purifier off (closed)', [fume(0, { fanOn: false, fanCurrentA: 0, purifierOn: false, purifierCurrentA: 0 })], false]
  ])('fume: %s → %s', (_name, msgs, expected) => {
    expect(holds('fume', restaurant.id, msgs)).toBe(expected)
  })

  it.each<[string, NoiseTelemetry[], boolean]>([
    ['a day hour 3 dB under the limit', noise(10, 60, limits.day - 3), false],
    ['a day hour 2 dB over it (GB 3096-2008 Table 1)', noise(10, 60, limits.day + 2), true],
    ['one loud minute (+12 dB) in a quiet day hour', noise(10, 60, limits.day - 6, (i) => i === 30 ? limits.day + 30 : limits.day), false],
    ['a night Lmax 16 dB over the night limit (§5.4 sudden noise)', noise(23, 30, limits.night - 5, (i) => i === 5 ? limits.night + 16 : limits.night), true],
    ['3 night minutes with Lmax 11 dB over it (GB 12348-2008 frequent noise)', noise(23, 30, limits.night - 5, (i) => i % 10 === 0 ? limits.night + 11 : limits.night), true],
    ['2 such minutes', noise(23, 30, limits.night - 5, (i) => i % 15 === 0 ? limits.night + 11 : limits.night), false]
  ])('noise: %s → %s', (_name, msgs, expected) => {
    expect(holds('noise', meter.device.id, msgs)).toBe(expected)
  })

  const standing = (n: number, f: Partial<ElevatorTelemetry>) => Array.from({ length: n }, (_, i) => lift(i, f))
  it.each<[string, ElevatorTelemetry[], boolean]>([
    ['a car in service', [lift(0), lift(1, { direction: 'up', speedMps: 2, floor: 4 }), lift(2)], false],
    ['a fault code', [lift(0, { faultCodes: ['E30'] })], true],
    ['inspection mode', [lift(0, { mode: 'inspection' })], true],
    ['standing outside the door zone', [lift(0, { inDoorZone: false })], true],
    ['door shut on a passenger for 60 s (trapped, GB/T 24476-2017)', standing(7, { passenger: true }), true],
    ['for 50 s', standing(6, { passenger: true }), false]
  ])('elevator: %s → %s', (_name, msgs, expected) => {
    expect(holds('elevator', deviceOf(community, 'elevator').id, msgs)).toBe(expected)
  })
})

describe('sensor-fault classes wait while a window holds an event', () => {
  const entry = {
    classes: [{ name: 'normal' }, { name: 'stuck', category: 'device_health' as const, severity: 'P4' as const, title: 'stuck' }, { name: 'smoulder', category: 'fire' as const, severity: 'P3' as const, title: 'smoulder' }],
    threshold: 0.9, clearThreshold: 0.4, raiseAfter: 2
  }
  it('neither raises nor clears a sensor fault on event windows; a pattern class goes on', () => {
    const h = createSignalHysteresis(entry)
    const hi = [0, 0.95, 0.95]
    expect(h.update('D', hi, true)).toEqual([])
    expect(h.update('D', hi, true).map((c) => [c.classIndex, c.change])).toEqual([[2, 'raise']])
    // Two quiet windows make the fault's run; the event windows before did not count.
    expect(h.update('D', hi).map((c) => [c.classIndex, c.change])).toEqual([[2, 'hold']])
    expect(h.update('D', hi).map((c) => [c.classIndex, c.change])).toEqual([[1, 'raise'], [2, 'hold']])
    expect(h.update('D', [1, 0, 0], true).map((c) => [c.classIndex, c.change])).toEqual([[1, 'hold'], [2, 'clear']])
    expect(h.update('D', [1, 0, 0]).map((c) => [c.classIndex, c.change])).toEqual([[1, 'clear']])
  })

  let stage: AnomalyStage | undefined
  afterEach(async () => { await stage?.close(); stage = undefined })
  it('a stuck smoke sensor is raised, but not while the detector is in alarm', async () => {
    const smoke = deviceOf(community, 'fire', (d) => d.detector === 'smoke')
    const faults = [{ type: 'stuck' as const, fromMs: T0 + 40 * MIN, untilMs: T0 + 120 * MIN, field: 'smokeDbM' }]
    const run = async (alarm: boolean): Promise<Signal[]> => {
      const signals: Signal[] = []
      stage = await createAnomalyStage({ modelsDir: MODELS_DIR, ctx, log, onSignals: (s) => signals.push(...s) })
      for (const msg of stream(community, smoke, T0, T0 + 200 * MIN, faults)) stage.observe(ctx.device(smoke.id)!, { ...msg, alarm: alarm && msg.ts >= T0 + 30 * MIN })
      await stage.close()
      stage = undefined
      return signals.filter((s) => s.ruleId === 'anomaly.fire.stuck' && s.active)
    }
    expect((await run(false)).length).toBeGreaterThan(0)
    expect(await run(true)).toEqual([])
  })
})
