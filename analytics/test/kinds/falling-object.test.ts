import { describe, expect, test } from 'vitest'
import pino from 'pino'
import {
  AlertSchema, AnalyticsSettingsSchema, CommunitySchema, FallingObjectTelemetrySchema,
  type Building, type FallingObjectTelemetry, type TrajectoryPoint
} from '@gangwan/contracts'
import { createAlertBook, DEFAULT_ALERT_BOOK_OPTIONS } from '../../src/core/create-alert-book.ts'
import { createCommunityContext } from '../../src/core/create-community-context.ts'
import type { DeviceContext } from '../../src/core/context.ts'
import {
  createFallingObjectAnalyzer, fallingObjectAnalytics, fitParabola, floorScale, judgeTrack, type TrackVerdict
} from '../../src/kinds/falling-object/index.ts'

const T0 = 1_763_800_000_000
const G = 9.81
const FPS = 25
const settings = AnalyticsSettingsSchema.parse({}).fallingObject

/** Seeded uniform [0, 1) (mulberry32) with Box–Muller normals: the same throws on every run. */
function rng (seed: number): { float: () => number, between: (a: number, b: number) => number, int: (a: number, b: number) => number, normal: (sd: number) => number } {
  let s = seed >>> 0
  const float = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    float,
    between: (a, b) => a + (b - a) * float(),
    int: (a, b) => a + Math.floor(float() * (b - a + 1)),
    normal: (sd) => sd * Math.sqrt(-2 * Math.log(1 - float())) * Math.cos(2 * Math.PI * float())
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const subsample = (frames: TrajectoryPoint[]): TrajectoryPoint[] => frames.filter((_, i) => i % Math.ceil(frames.length / 100) === 0)

/**
 * A free fall as simulators/src/kinds/falling-object.ts produces it: released 0.9–1.5 m above a
 * floor's slab, tracked from 0–0.3 s after release at 25 fps to the ground, height noise σ 0.08 m,
 * horizontal σ 0.05 m, rounded to cm, at most 100 points.
 */
function freeFall (r: ReturnType<typeof rng>, building: Building, floor: number): { points: TrajectoryPoint[], confidence: number, x0: number } {
  const h0 = floorScale(building).levelM(floor) + r.between(0.9, 1.5)
  const delay = r.between(0, 0.3)
  const hStart = h0 - (G * delay * delay) / 2
  const x0 = r.between(1, 59)
  const vx = r.normal(0.4)
  const frames: TrajectoryPoint[] = []
  for (let k = 0; ; k++) {
    const t = k / FPS
    const h = hStart - G * delay * t - (G * t * t) / 2
    if (h < 0) break
    frames.push({ t: round2(t), x: round2(x0 + vx * t + r.normal(0.05)), h: round2(Math.max(0, h + r.normal(0.08))) })
  }
  const confidence = round2(Math.min(0.98, 0.78 + 0.02 * (frames.length / FPS) + r.between(0, 0.08)))
  return { points: subsample(frames), confidence, x0: x0 - vx * delay }
}

function event (trajectory: TrajectoryPoint[], confidence = 0.95, seq = 1, building = 'B03'): FallingObjectTelemetry {
  return FallingObjectTelemetrySchema.parse({
    kind: 'falling_object', seq, ts: T0 + seq * 60_000, eventId: `EV-${seq}`, building, facade: 'S',
    trajectory, confidence, clip: `nvr://${building}-S/${seq}.mp4`
  })
}

const community = CommunitySchema.parse({
  schemaVersion: 1, id: 'HGY-T', name: 'Test',
  grids: [{ id: 'G01', name: 'Grid 1', zoneClass: '1' }, { id: 'G02', name: 'Grid 2', zoneClass: '2' }],
  buildings: [
    { id: 'B03', name: 'Tower 3', grid: 'G01', floors: 33, floorHeightM: 3, facades: [{ id: 'S', orientation: 'S', widthM: 60 }], position: { x: 0, y: 0 }, footprint: { widthM: 60, depthM: 18 } },
    {
      id: 'B09', name: 'Podium tower', grid: 'G02', floors: 40, floorHeightsM: [5.4, 4.5, ...Array(38).fill(2.9)],
      facades: [{ id: 'S', orientation: 'S', widthM: 60 }], position: { x: 100, y: 0 }, footprint: { widthM: 60, depthM: 20 }
    }
  ],
  devices: [
    { id: 'B03-CAM-S', kind: 'falling_object', building: 'B03', facade: 'S' },
    { id: 'B09-CAM-S', kind: 'falling_object', building: 'B09', facade: 'S' }
  ]
})
const ctx = createCommunityContext(community, pino({ level: 'silent' }))
const camera = (id: string): DeviceContext<'falling_object'> => ctx.device(id) as DeviceContext<'falling_object'>
const building = (id: string): Building => community.buildings.find((b) => b.id === id)!

describe('parabola fit and floors', () => {
  test('recovers h0, v0 and a exactly from noiseless points', () => {
    const pts = [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.4].map((t) => ({ t, h: 50 - 2 * t - (9.5 * t * t) / 2 }))
    const f = fitParabola(pts)!
    expect(f.h0).toBeCloseTo(50, 9)
    expect(f.v0).toBeCloseTo(-2, 9)
    expect(f.a).toBeCloseTo(9.5, 9)
    expect(f.r2).toBeCloseTo(1, 12)
    expect(fitParabola([{ t: 1, h: 3 }, { t: 1, h: 2 }, { t: 1, h: 1 }, { t: 1, h: 0 }])).toBeUndefined()
  })

  test.each([
    // uniform 3 m storeys: floor n spans [3(n-1), 3n)
    ['B03', 0, 1], ['B03', 2.99, 1], ['B03', 3, 2], ['B03', 34.5, 12], ['B03', 500, 33], ['B03', -2, 1],
    // podium: floor 1 is 5.4 m, floor 2 4.5 m, then 2.9 m
    ['B09', 5.39, 1], ['B09', 5.4, 2], ['B09', 9.89, 2], ['B09', 9.9, 3], ['B09', 12.8, 4]
  ] as const)('%s: height %f m is floor %i', (id, h, floor) => {
    expect(floorScale(building(id)).floorAt(h)).toBe(floor)
  })
})

describe('origin floor of simulated throws', () => {
  test.each(['B03', 'B09'])('%s: the floor range holds the true floor in ≥ 90 %% of 200 seeded throws, and is narrow', (id) => {
    const b = building(id)
    const r = rng(id === 'B03' ? 1 : 2)
    let hits = 0
    let width = 0
    for (let i = 0; i < 200; i++) {
      const floor = r.int(3, b.floors)
      const { points, confidence } = freeFall(r, b, floor)
      const v = judgeTrack(event(points, confidence, i, id), floorScale(b), settings)
      if (!v.accepted) continue
      const { from, to } = v.estimate.floorRange
      if (from <= floor && floor <= to) hits++
      width += to - from + 1
    }
    expect(hits).toBeGreaterThanOrEqual(180)
    // A range as wide as the building would always hit: it must stay within about a floor.
    expect(width / 200).toBeLessThanOrEqual(2)
  })

  test('with air drag (terminal 40–60 m/s) and the tracker locking on up to 1 s late, still ≥ 90 %', () => {
    const b = building('B03')
    const r = rng(5)
    let accepted = 0
    let hits = 0
    for (let i = 0; i < 200; i++) {
      const floor = r.int(8, b.floors)
      const vt = r.between(40, 60)
      const lock = r.between(0, 1)
      // Quadratic drag, dv/dt = g·(1 − v²/vt²), integrated in 1 ms steps; frames every 40 ms from `lock`.
      let h = floorScale(b).levelM(floor) + r.between(0.9, 1.5)
      let v = 0
      const frames: TrajectoryPoint[] = []
      for (let k = 0; h > 0; k++) {
        if (k >= lock * 1000 && (k - Math.ceil(lock * 1000)) % 40 === 0) frames.push({ t: round2((k - Math.ceil(lock * 1000)) / 1000), x: 20, h: round2(h + r.normal(0.08)) })
        v += G * (1 - (v * v) / (vt * vt)) / 1000
        h -= v / 1000
      }
      const verdict = judgeTrack(event(subsample(frames), 0.9, i), floorScale(b), settings)
      if (!verdict.accepted) continue
      accepted++
      if (verdict.estimate.floorRange.from <= floor && floor <= verdict.estimate.floorRange.to) hits++
    }
    expect(accepted).toBeGreaterThanOrEqual(150)
    expect(hits / accepted).toBeGreaterThanOrEqual(0.9)
  })

  test('the estimate carries release height, window column, times and a fitted g', () => {
    const r = rng(7)
    const { points, confidence, x0 } = freeFall(r, building('B03'), 20)
    const msg = event(points, confidence)
    const v = judgeTrack(msg, floorScale(building('B03')), settings)
    if (!v.accepted) throw new Error(`rejected: ${v.reason}`)
    expect(v.fit.accelMps2).toBeCloseTo(G, 0)
    expect(v.fit.r2).toBeGreaterThan(0.999)
    expect(v.estimate.releaseHeightM).toBeGreaterThan(57 + 0.8)
    expect(v.estimate.releaseHeightM).toBeLessThan(57 + 1.6)
    expect(Math.abs(v.estimate.windowColumnM - x0)).toBeLessThan(0.3)
    expect(v.estimate.releaseMs).toBeLessThanOrEqual(msg.ts)
    // 58 m of free fall takes √(2h/g) ≈ 3.4 s.
    expect((v.estimate.impactMs - v.estimate.releaseMs) / 1000).toBeCloseTo(Math.sqrt((2 * v.estimate.releaseHeightM) / G), 1)
    expect(v.estimate.floorRange.confidence).toBeGreaterThan(0.5)
    expect(v.estimate.floorRange.confidence).toBeLessThanOrEqual(confidence)
  })
})

describe('non-physical tracks are rejected', () => {
  const track = (seconds: number, h: (t: number) => number, x: (t: number) => number = (t) => 10 + 4 * t): TrajectoryPoint[] =>
    Array.from({ length: Math.floor(seconds * FPS) + 1 }, (_, k) => k / FPS).map((t) => ({ t: round2(t), x: round2(x(t)), h: round2(h(t)) }))
  // Cloth or a plastic bag: drag makes it reach ~2.5 m/s within a fraction of a second (τ = vt/g).
  const drag = (h0: number, vt: number) => (t: number) => h0 - vt * (t - (vt / G) * (1 - Math.exp((-G * t) / vt)))
  const fallFrom = (h0: number) => (t: number) => h0 - (G * t * t) / 2

  test.each<[string, TrajectoryPoint[], number, TrackVerdict['accepted'] | string]>([
    ['bird gliding level, flapping', track(2, (t) => 30 + 0.8 * Math.sin(3 * t)), 0.95, 'poor_fit'],
    ['bird climbing', track(2, (t) => 30 + 1.5 * t + 0.5 * Math.sin(4 * t)), 0.95, 'not_falling'],
    ['leaf fluttering down', track(3, (t) => 20 - 0.8 * t + 0.4 * Math.sin(5 * t)), 0.95, 'poor_fit'],
    ['leaf sinking steadily', track(3, (t) => 20 - 1.2 * t + 0.05 * Math.sin(2 * t)), 0.95, 'accel_out_of_range'],
    ['laundry with drag', track(4, drag(40, 2.5)), 0.95, 'accel_out_of_range'],
    ['drop of under two floors', track(0.9, fallFrom(6.5)), 0.95, 'short_track'],
    ['a real fall the tracker doubts', track(2, fallFrom(40)), 0.3, 'low_confidence'],
    ['a real fall, too few points', track(2, fallFrom(40)).filter((_, i) => i % 20 === 0), 0.95, 'too_few_points'],
    ['a real fall from 13 floors', track(2.5, fallFrom(38.2)), 0.95, true]
  ])('%s → %s', (_, points, confidence, expected) => {
    const v = judgeTrack(event(points, confidence), floorScale(building('B03')), settings)
    expect(v.accepted ? true : v.reason).toBe(expected)
  })

  test('no bird, leaf or laundry track like the simulator\'s alarms, even with a confident tracker', () => {
    const r = rng(99)
    let accepted = 0
    for (let i = 0; i < 300; i++) {
      // simulators/src/kinds/falling-object.ts nonPhysical(): level and rising stretches.
      const h0 = r.between(10, 99)
      const x0 = r.between(0, 60)
      const vx = r.between(2, 8) * (r.float() < 0.5 ? 1 : -1)
      const vy = r.between(-1, 2)
      const amp = r.between(0.5, 3)
      const omega = r.between(1.5, 4)
      const points = track(r.between(1, 3), (t) => Math.max(0, h0 + vy * t + amp * Math.sin(omega * t)), (t) => x0 + vx * t)
      if (judgeTrack(event(points, 0.95), floorScale(building('B03')), settings).accepted) accepted++
    }
    expect(accepted).toBe(0)
  })
})

describe('fallingObjectAnalytics', () => {
  test('a throw is one P1 alert with floor range, façade, clip and trajectory, cleared at impact', () => {
    const analyzer = fallingObjectAnalytics.forDevice(camera('B09-CAM-S'))
    const r = rng(3)
    const { points, confidence } = freeFall(r, building('B09'), 25)
    const msg = event(points, confidence, 5, 'B09')
    const signals = analyzer.observe(msg)
    expect(signals.map((s) => s.active)).toEqual([true, false])
    const book = createAlertBook({ ...DEFAULT_ALERT_BOOK_OPTIONS, now: () => 1 })
    const [opened, cleared] = signals.flatMap((s) => book.apply(s)).map((a) => AlertSchema.parse(a))
    expect(opened).toMatchObject({
      ruleId: 'falling_object.thrown', subject: 'B09-CAM-S/EV-5', device: 'B09-CAM-S', category: 'falling_object', severity: 'P1',
      source: { type: 'rule', id: 'falling_object.thrown', clause: expect.stringContaining('1254') },
      location: { grid: 'G02', building: 'B09', facade: 'S' },
      trigger: { clip: msg.clip, trajectory: msg.trajectory }
    })
    const range = opened!.location.floorRange!
    expect(range.from).toBeLessThanOrEqual(25)
    expect(range.to).toBeGreaterThanOrEqual(25)
    expect(opened!.trigger.values).toMatchObject({ fromFloor: range.from, toFloor: range.to, eventId: 'EV-5' })
    for (const k of ['accelMps2', 'r2', 'releaseHeightM', 'floorsSpanned', 'windowColumnM']) expect(typeof opened!.trigger.values[k]).toBe('number')
    expect(cleared).toMatchObject({ key: opened!.key, state: 'cleared', clearedAt: opened!.trigger.window.toMs })
    expect(opened!.trigger.window.toMs).toBeGreaterThan(opened!.trigger.window.fromMs)
  })

  test('a rejected track raises nothing and leaves its verdict to read', () => {
    const analyzer = createFallingObjectAnalyzer(camera('B03-CAM-S'))
    const points = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => ({ t, x: 5 + t, h: 20 + t }))
    expect(analyzer.observe(event(points, 0.9))).toEqual([])
    expect(analyzer.lastVerdict()).toMatchObject({ accepted: false, reason: 'not_falling' })
  })

  test('two throws from one camera are two alerts', () => {
    const analyzer = createFallingObjectAnalyzer(camera('B03-CAM-S'))
    const r = rng(11)
    const a = analyzer.observe(event(freeFall(r, building('B03'), 10).points, 0.9, 1))
    const b = analyzer.observe(event(freeFall(r, building('B03'), 12).points, 0.9, 2))
    expect(new Set([...a, ...b].map((s) => s.subject))).toEqual(new Set(['B03-CAM-S/EV-1', 'B03-CAM-S/EV-2']))
  })
})
