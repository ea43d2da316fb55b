import { describe, expect, it } from 'vitest'
import { CommunitySchema, TelemetrySchema, type TrajectoryPoint } from '@gangwan/contracts'
import { createRng, DEFAULT_MODEL_OPTIONS, fallingObjectModel, floorLevels, G_MPS2, generateCommunity } from '../src/index.ts'
import { DAY, driveModel, MONDAY_MIDNIGHT, seqsAreConsecutive, setupFor } from './support/drive-model.ts'

const community = CommunitySchema.parse(generateCommunity({ seed: 1, buildings: 3, devices: 300 }))
const camera = community.devices.find((d) => d.kind === 'falling_object' && d.facade === 'S')!
const building = community.buildings.find((b) => b.id === camera.building)!
const often = { ...DEFAULT_MODEL_OPTIONS, fallingObject: { eventsPerWeek: 300, nonPhysicalPerWeek: 100 } }
const events = driveModel(fallingObjectModel, setupFor<'falling_object'>(community, camera.id, often), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 7 * DAY)
const physical = events.filter((e) => e.confidence >= 0.75)
const birds = events.filter((e) => e.confidence < 0.75)

/** Least-squares fit of h = a + b·t + c·t²; returns the implied g = −2c and the start height a. */
function fitFall (points: readonly TrajectoryPoint[]): { g: number; h0: number } {
  // Normal equations for the quadratic, solved by Cramer's rule.
  const s = [0, 0, 0, 0, 0]
  const r = [0, 0, 0]
  for (const p of points) {
    for (let k = 0; k < 5; k++) s[k]! += p.t ** k
    for (let k = 0; k < 3; k++) r[k]! += p.h * p.t ** k
  }
  const m = [[s[0]!, s[1]!, s[2]!], [s[1]!, s[2]!, s[3]!], [s[2]!, s[3]!, s[4]!]]
  const det = (x: number[][]): number => x[0]![0]! * (x[1]![1]! * x[2]![2]! - x[1]![2]! * x[2]![1]!) - x[0]![1]! * (x[1]![0]! * x[2]![2]! - x[1]![2]! * x[2]![0]!) + x[0]![2]! * (x[1]![0]! * x[2]![1]! - x[1]![1]! * x[2]![0]!)
  const d = det(m)
  const col = (j: number): number[][] => m.map((row, i) => row.map((v, k) => (k === j ? r[i]! : v)))
  return { h0: det(col(0)) / d, g: -2 * (det(col(2)) / d) }
}

describe('falling-object model', () => {
  it('reports rare events, a few per camera per simulated week by default', () => {
    const fourWeeks = driveModel(fallingObjectModel, setupFor<'falling_object'>(community, camera.id), MONDAY_MIDNIGHT, MONDAY_MIDNIGHT + 28 * DAY)
    expect(fourWeeks.length / 4).toBeGreaterThanOrEqual(1)
    expect(fourWeeks.length / 4).toBeLessThanOrEqual(10)
  })

  it('sends valid payloads with consecutive seqs, ≤ 100 points, and unique event ids naming the camera', () => {
    expect(events.length).toBeGreaterThan(200)
    expect(seqsAreConsecutive(events)).toBe(true)
    expect(events.filter((e) => !TelemetrySchema.safeParse(e).success)).toEqual([])
    expect(events.every((e) => e.trajectory.length <= 100 && e.building === building.id && e.facade === 'S')).toBe(true)
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length)
    expect(events.every((e) => e.eventId.startsWith(`${camera.id}-`) && e.clip.startsWith(`nvr://${building.id}-S/`))).toBe(true)
  })

  it('tracks free falls that fit h(t) = h0 − g·t²/2 with g within 5 % of 9.81, from a window of floor 3 or above', () => {
    expect(physical.length).toBeGreaterThan(150)
    const levels = floorLevels(building)
    const facade = building.facades.find((f) => f.id === 'S')!
    for (const e of physical) {
      const { g, h0 } = fitFall(e.trajectory)
      expect(Math.abs(g - G_MPS2) / G_MPS2).toBeLessThan(0.05)
      expect(h0).toBeGreaterThan(levels.levelM(3))
      expect(h0).toBeLessThan(levels.roofM + 2)
      // Falls until near the ground, drifting only a little sideways along the façade.
      expect(e.trajectory[e.trajectory.length - 1]!.h).toBeLessThan(5)
      const xs = e.trajectory.map((p) => p.x)
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(10)
      expect(Math.min(...xs)).toBeGreaterThan(-5)
      expect(Math.max(...xs)).toBeLessThan(facade.widthM + 5)
      // At 25 fps subsampled: steps are whole frames.
      expect(e.trajectory.every((p) => Math.abs(p.t * 25 - Math.round(p.t * 25)) < 0.01)).toBe(true)
    }
  })

  it('also reports non-physical tracks (birds, leaves) with level or rising stretches and low confidence', () => {
    expect(birds.length).toBeGreaterThan(40)
    for (const e of birds) {
      const rises = e.trajectory.slice(1).some((p, i) => p.h >= e.trajectory[i]!.h)
      const { g } = fitFall(e.trajectory)
      expect(rises || Math.abs(g - G_MPS2) / G_MPS2 > 0.2).toBe(true)
    }
    expect(physical.filter((e) => e.trajectory.slice(1).some((p, i) => p.h > e.trajectory[i]!.h + 0.5))).toEqual([])
  })

  it('publishes after the track ends: ts is the first point, the step that sends it comes after the last', () => {
    const setup = setupFor<'falling_object'>(community, camera.id, often)
    const rng = createRng(5)
    let { state, nextMs } = fallingObjectModel.init(setup, MONDAY_MIDNIGHT, rng)
    for (let k = 0; k < 20; k++) {
      const r = fallingObjectModel.step(state, nextMs, rng)
      const e = r.messages[0]!
      expect(e.trajectory[0]!.t).toBe(0)
      expect(nextMs).toBeGreaterThanOrEqual(e.ts + e.trajectory[e.trajectory.length - 1]!.t * 1000)
      state = r.state; nextMs = r.nextMs
    }
  })
})
