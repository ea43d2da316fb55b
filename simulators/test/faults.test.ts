import { describe, expect, it } from 'vitest'
import { TelemetrySchema, type DeviceKind, type FireTelemetry, type NoiseTelemetry, type TelemetryOf } from '@gangwan/contracts'
import { applyFaults, createFaultInjector, parseFaults, type FaultSpecInput } from '../src/faults/index.ts'
import { DEFAULT_MODEL_OPTIONS, elevatorModel, fallingObjectModel, fireModel, fumeModel, generateCommunity, noiseModel, type DeviceModel } from '../src/index.ts'
import { driveModel, HOUR, MONDAY_MIDNIGHT, setupFor } from './support/drive-model.ts'

const community = generateCommunity({ seed: 1, buildings: 3, devices: 300 })
const idOf = (kind: DeviceKind, pick: (d: any) => boolean = () => true): string => community.devices.find((d) => d.kind === kind && pick(d))!.id
const T0 = MONDAY_MIDNIGHT + 8 * HOUR
function clean<K extends DeviceKind> (model: DeviceModel<K, any, any>, id: string, hours: number): TelemetryOf<K>[] {
  return driveModel(model, setupFor<K>(community, id), T0, T0 + hours * HOUR)
}
const smoke = clean(fireModel, idOf('fire', (d) => d.detector === 'smoke'), 4)
const noise = clean(noiseModel, idOf('noise'), 4)
const mid = T0 + HOUR

describe('parseFaults', () => {
  const ok: [DeviceKind, FaultSpecInput][] = [
    ['fire', { type: 'drift', fromMs: mid, field: 'smokeDbM', ratePerHour: 0.002 }],
    ['fire', { type: 'smoulder', fromMs: mid, rampMs: 1_800_000 }],
    ['noise', { type: 'stuck', fromMs: mid, untilMs: mid + HOUR, field: 'levels' }],
    ['fume', { type: 'dropout', fromMs: mid, probability: 0.2, mode: 'zero', field: ['fumeMgM3', 'particulateMgM3'] }],
    ['elevator', { type: 'door_wear', fromMs: mid, rampMs: HOUR, extraOpeningMs: 2000, extraClosingMs: 2000 }],
    ['falling_object', { type: 'spike', fromMs: mid, field: 'h', probability: 0.1, magnitude: 3 }]
  ]
  it.each(ok)('accepts a %s fault %o', (kind, spec) => {
    expect(parseFaults(kind, [spec])).toHaveLength(1)
  })

  const bad: [string, DeviceKind, unknown, RegExp][] = [
    ['a field the kind lacks', 'fire', { type: 'stuck', fromMs: mid, field: 'leq' }, /'leq' is not a fire reading/],
    ['a pattern of another kind', 'noise', { type: 'smoulder', fromMs: mid, rampMs: 1000 }, /a noise device takes no 'smoulder' fault/],
    ['zeroing without a field', 'fire', { type: 'dropout', fromMs: mid, probability: 0.2, mode: 'zero' }, /mode 'zero' needs a field/],
    ['a probability over 1', 'fire', { type: 'spike', fromMs: mid, field: 'smokeDbM', probability: 2, magnitude: 1 }, /probability/],
    ['an unknown type', 'fire', { type: 'melt', fromMs: mid }, /faults are invalid/],
    ['a stuck camera (cameras take spikes and dropouts)', 'falling_object', { type: 'stuck', fromMs: mid, field: 'h' }, /takes no 'stuck'/]
  ]
  it.each(bad)('rejects %s with GW_ERR_SCENARIO_INVALID', (_name, kind, spec, message) => {
    expect(() => parseFaults(kind, [spec])).toThrow(message)
    expect(() => parseFaults(kind, [spec])).toThrow(expect.objectContaining({ code: 'GW_ERR_SCENARIO_INVALID' }))
  })
})

describe('sensor faults', () => {
  it('stuck-at holds the first value in the span, tags what it changed, and lets go after untilMs', () => {
    const out = applyFaults('fire', smoke, [{ type: 'stuck', fromMs: mid, untilMs: mid + HOUR, field: 'smokeDbM' }], 1)
    expect(out.map((m) => m.msg.seq)).toEqual(smoke.map((m) => m.seq))
    const inSpan = out.filter((m) => m.msg.ts >= mid && m.msg.ts < mid + HOUR)
    expect(new Set(inSpan.map((m) => m.msg.smokeDbM)).size).toBe(1)
    expect(out.filter((m) => m.msg.ts < mid || m.msg.ts >= mid + HOUR).every((m) => m.touched.length === 0)).toBe(true)
    expect(inSpan.filter((m) => m.touched.length > 0).length).toBeGreaterThan(inSpan.length / 2)
    // The input stream is left as it was.
    expect(smoke.map((m) => m.smokeDbM)).toEqual(clean(fireModel, idOf('fire', (d) => d.detector === 'smoke'), 4).map((m) => m.smokeDbM))
  })

  it('drift adds ratePerHour per hour since fromMs', () => {
    const out = applyFaults('fire', smoke, [{ type: 'drift', fromMs: mid, field: 'temperatureC', ratePerHour: 2 }], 1)
    out.forEach((m, i) => {
      const hours = Math.max(0, (m.msg.ts - mid) / HOUR)
      expect(m.msg.temperatureC! - smoke[i]!.temperatureC!).toBeCloseTo(2 * hours, 1)
    })
  })

  it('spikes are seeded: the same seed repeats them, another seed moves them; noise levels keep their order', () => {
    const spec: FaultSpecInput[] = [{ type: 'spike', fromMs: T0, field: 'levels', probability: 0.2, magnitude: 20 }]
    const a = applyFaults('noise', noise, spec, 7)
    const b = applyFaults('noise', noise, spec, 7)
    const c = applyFaults('noise', noise, spec, 8)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
    const hit = a.filter((m) => m.touched.length > 0).length
    expect(hit).toBeGreaterThan(0.1 * noise.length)
    expect(hit).toBeLessThan(0.3 * noise.length)
    for (const m of a) expect(TelemetrySchema.safeParse(m.msg).success).toBe(true)
  })

  it('dropout loses messages (a seq gap, the next message tagged) or zeroes the field', () => {
    const lost = applyFaults('noise', noise, [{ type: 'dropout', fromMs: T0, probability: 0.3 }], 3)
    expect(lost.length).toBeLessThan(0.85 * noise.length)
    const gaps = lost.filter((m, i) => i > 0 && m.msg.seq - lost[i - 1]!.msg.seq > 1)
    expect(gaps.length).toBeGreaterThan(0)
    expect(gaps.every((m) => m.touched.includes(0))).toBe(true)
    const zeroed = applyFaults('fire', smoke, [{ type: 'dropout', fromMs: T0, probability: 0.3, mode: 'zero', field: 'smokeDbM' }], 3)
    expect(zeroed).toHaveLength(smoke.length)
    expect(zeroed.filter((m) => m.msg.smokeDbM === 0).length).toBeGreaterThan(0.15 * smoke.length)
  })
})

describe('pre-threshold patterns', () => {
  it('smoulder raises smoke ever faster yet under the 0.05 dB/m type A level', () => {
    const out = applyFaults('fire', smoke, [{ type: 'smoulder', fromMs: mid, rampMs: HOUR, riseDbM: 0.025 }], 1).map((m) => m.msg as FireTelemetry)
    const at = (ms: number): number => out.find((m) => m.ts >= ms)!.smokeDbM! - smoke.find((m) => m.ts >= ms)!.smokeDbM!
    expect(Math.max(...out.map((m) => m.smokeDbM!))).toBeLessThan(0.05)
    expect(at(mid + HOUR)).toBeGreaterThan(0.015)
    expect(at(mid + HOUR) - at(mid + HOUR / 2)).toBeGreaterThan(at(mid + HOUR / 2) - at(mid))
  })

  it('door wear lengthens the opening and closing runs, keeping every message in order', () => {
    const lift = clean(elevatorModel, idOf('elevator'), 3)
    const out = applyFaults('elevator', lift, [{ type: 'door_wear', fromMs: T0, rampMs: 1, extraOpeningMs: 3000, extraClosingMs: 2000 }], 1)
    expect(out.map((m) => m.msg.seq)).toEqual(lift.map((m) => m.seq))
    const runs = (msgs: readonly { door: string }[], door: string): number[] => {
      const lengths: number[] = []
      msgs.forEach((m, i) => {
        if (m.door !== door) return
        if (i > 0 && msgs[i - 1]!.door === door) lengths[lengths.length - 1]!++
        else lengths.push(1)
      })
      return lengths
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(mean(runs(lift, 'opening'))).toBeCloseTo(2, 0)
    expect(mean(runs(out.map((m) => m.msg), 'opening'))).toBeGreaterThan(mean(runs(lift, 'opening')) + 2)
    expect(mean(runs(out.map((m) => m.msg), 'closing'))).toBeGreaterThan(mean(runs(lift, 'closing')) + 1)
    // The door still stands open at least one report per stop.
    expect(runs(out.map((m) => m.msg), 'open').length).toBe(runs(lift, 'open').length)
  })

  it('purifier wear cuts purifier current and raises fume only while the purifier runs', () => {
    const duct = clean(fumeModel, idOf('fume'), 14)
    const out = applyFaults('fume', duct, [{ type: 'purifier_wear', fromMs: T0, rampMs: HOUR, currentLoss: 0.5, fumeGain: 1.5 }], 1)
    const late = out.map((m, i) => [m.msg, duct[i]!] as const).filter(([m]) => m.ts > T0 + HOUR)
    const running = late.filter(([m]) => m.purifierOn)
    expect(running.length).toBeGreaterThan(60)
    for (const [m, c] of running) {
      expect(m.purifierCurrentA).toBeCloseTo(c.purifierCurrentA * 0.5, 1)
      expect(m.fumeMgM3).toBeCloseTo(c.fumeMgM3 * 1.5, 2)
    }
    for (const [m, c] of late.filter(([m]) => !m.purifierOn)) expect(m).toEqual(c)
  })
})

describe('camera faults', () => {
  it('spikes displace single trajectory points, leaving times and the schema intact', () => {
    const tracks = driveModel(fallingObjectModel, setupFor<'falling_object'>(community, idOf('falling_object'), { ...DEFAULT_MODEL_OPTIONS, fallingObject: { eventsPerWeek: 2000, nonPhysicalPerWeek: 0 } }), T0, T0 + 6 * HOUR)
    expect(tracks.length).toBeGreaterThan(20)
    const out = applyFaults('falling_object', tracks, [{ type: 'spike', fromMs: T0, field: 'h', probability: 0.1, magnitude: 5 }], 2)
    out.forEach((m, i) => {
      const before = tracks[i]!.trajectory
      const moved = m.msg.trajectory.filter((p, k) => Math.abs(p.h - before[k]!.h) > 1).length
      expect(m.msg.trajectory.map((p) => p.t)).toEqual(before.map((p) => p.t))
      expect(moved > 0).toBe(m.touched.length > 0)
      expect(TelemetrySchema.safeParse(m.msg).success).toBe(true)
    })
    expect(out.filter((m) => m.touched.length > 0).length).toBeGreaterThan(tracks.length / 2)
  })
})

describe('fault injector', () => {
  it('streams message by message with the same result as a whole-array run', () => {
    const faults: FaultSpecInput[] = [{ type: 'spike', fromMs: T0, field: 'levels', probability: 0.3, magnitude: 15 }, { type: 'dropout', fromMs: mid, probability: 0.2 }]
    const inj = createFaultInjector('noise', faults, 5)
    const streamed = [...noise.flatMap((m) => inj.push(m)), ...inj.flush()]
    expect(streamed).toEqual(applyFaults('noise', noise, faults, 5))
    expect(streamed.every((m) => TelemetrySchema.safeParse(m.msg).success)).toBe(true)
    expect((streamed[0]!.msg as NoiseTelemetry).kind).toBe('noise')
  })
})
