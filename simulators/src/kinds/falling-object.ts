import type { FallingObjectTelemetry, TrajectoryPoint } from '@gangwan/contracts'
import { floorLevels } from '../community/floor-levels.ts'
import { createRng, type Rng } from '../rng.ts'
import { round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'

/** Standard gravity, m/s². */
export const G_MPS2 = 9.81
// Cameras run at 25 fps (DOMAIN.md §5); the message carries at most 100 points.
const FPS = 25
const MAX_POINTS = 100
const WEEK_MS = 7 * 86_400_000

type EventBody = Omit<FallingObjectTelemetry, 'seq'>

/**
 * A thrown object, the hook scenarios use: released at `atMs` from a window of `floor`, tracked by
 * the model's own free-fall generation with draws from `seed` (so the camera's natural events stay
 * as they were). `label` names the event (`{camera}-{date}-{label}`).
 */
export interface FallingObjectInjection {
  atMs: number
  floor: number
  seed: number
  label: string
}

/** A tracked event waiting for its report: when it goes out, the message, and a free fall's window floor. */
export interface PlannedEvent { emitMs: number; body: EventBody; floor?: number }

/** State of one façade camera: the next tracked event, planned ahead. */
export interface FallingObjectState {
  setup: DeviceSetup<'falling_object'>
  seq: number
  events: number
  widthM: number
  floors: number
  levelM: (floor: number) => number
  roofM: number
  /** The next event, tracked ahead of time; null when events are switched off (rate 0). */
  pending: PlannedEvent | null
  /** Injected throws not yet reported, by report time. */
  injected: readonly PlannedEvent[]
}

/** What planning an event needs: the camera without its pending events. */
type Camera = Omit<FallingObjectState, 'pending' | 'injected'>

// Fewer throws in the small hours; the weights average 0.833 so the weekly count holds.
const nightWeight = (hour: number): number => (hour >= 1 && hour < 6 ? 0.2 : 1)
const MEAN_WEIGHT = (5 * 0.2 + 19) / 24

function subsample (frames: TrajectoryPoint[]): TrajectoryPoint[] {
  const step = Math.ceil(frames.length / MAX_POINTS)
  return frames.filter((_, i) => i % step === 0)
}

/**
 * A free fall h(t) = h0 − v0·t − g·t²/2 from a window of `at` (drawn from floor 3 up when absent),
 * tracked from `delayS` after release until impact.
 */
function freeFall (s: Camera, rng: Rng, at?: number): { points: TrajectoryPoint[]; confidence: number; floor: number; delayS: number } {
  const floor = at ?? (s.floors >= 3 ? rng.int(3, s.floors) : s.floors)
  // Released over a sill or balcony rail, 0.9–1.5 m above the floor slab.
  const h0 = s.levelM(floor) + rng.between(0.9, 1.5)
  // The tracker locks on 0–0.3 s after release, when the object already falls at g·delay.
  const delay = rng.between(0, 0.3)
  const v0 = G_MPS2 * delay
  const hStart = h0 - (G_MPS2 * delay * delay) / 2
  const x0 = rng.between(1, Math.max(1.5, s.widthM - 1))
  const vx = rng.normal(0, 0.4)
  const frames: TrajectoryPoint[] = []
  for (let k = 0; ; k++) {
    const t = k / FPS
    const h = hStart - v0 * t - (G_MPS2 * t * t) / 2
    if (h < 0 || t > 59) break
    frames.push({ t: round(t, 2), x: round(x0 + vx * t + rng.normal(0, 0.05), 2), h: round(Math.max(0, h + rng.normal(0, 0.08)), 2) })
  }
  if (frames.length < 2) frames.push({ t: 0.04, x: frames[0]?.x ?? round(x0, 2), h: 0 })
  // Longer tracks fit the parabola better, so the tracker is surer of them.
  const confidence = Math.min(0.98, 0.78 + 0.02 * (frames.length / FPS) + rng.between(0, 0.08))
  return { points: subsample(frames), confidence: round(confidence, 2), floor, delayS: delay }
}

/** A bird, a leaf or laundry: level and rising stretches that no free fall has. */
function nonPhysical (s: Camera, rng: Rng): { points: TrajectoryPoint[]; confidence: number } {
  const h0 = rng.between(10, Math.max(12, s.roofM))
  const x0 = rng.between(0, s.widthM)
  const vx = rng.between(2, 8) * (rng.chance(0.5) ? 1 : -1)
  const vy = rng.between(-1, 2)
  const amp = rng.between(0.5, 3)
  const omega = rng.between(1.5, 4)
  const duration = rng.between(1, 3)
  const frames: TrajectoryPoint[] = []
  for (let k = 0; k / FPS <= duration; k++) {
    const t = k / FPS
    frames.push({ t: round(t, 2), x: round(x0 + vx * t, 2), h: round(Math.max(0, h0 + vy * t + amp * Math.sin(omega * t)), 2) })
  }
  return { points: subsample(frames), confidence: round(rng.between(0.2, 0.5), 2) }
}

function nextStart (s: Camera, fromMs: number, rng: Rng): number {
  const { eventsPerWeek, nonPhysicalPerWeek } = s.setup.options.fallingObject
  const ratePerMs = (eventsPerWeek + nonPhysicalPerWeek) / WEEK_MS / MEAN_WEIGHT
  if (ratePerMs <= 0) return Infinity
  let t = fromMs
  for (;;) {
    t += Math.max(1, Math.round(rng.exp(ratePerMs)))
    if (rng.float() < nightWeight(s.setup.clock.hourOfDay(t))) return t
  }
}

function plan (s: Camera, fromMs: number, rng: Rng): FallingObjectState['pending'] {
  const startMs = nextStart(s, fromMs, rng)
  if (startMs === Infinity) return null
  const { eventsPerWeek, nonPhysicalPerWeek } = s.setup.options.fallingObject
  const physical = rng.float() * (eventsPerWeek + nonPhysicalPerWeek) < eventsPerWeek
  const track = physical ? freeFall(s, rng) : { ...nonPhysical(s, rng), floor: undefined }
  return event(s, startMs, String(s.events + 1).padStart(4, '0'), track, rng)
}

function event (s: Camera, startMs: number, label: string, track: { points: TrajectoryPoint[]; confidence: number; floor: number | undefined }, rng: Rng): PlannedEvent {
  const { points, confidence } = track
  const { device, building, clock } = s.setup
  const stamp = clock.stamp(startMs)
  const body: EventBody = {
    kind: 'falling_object',
    ts: startMs,
    eventId: `${device.id}-${stamp.date}-${label}`,
    building: building.id,
    facade: device.facade,
    trajectory: points,
    confidence,
    clip: `nvr://${building.id}-${device.facade}/${stamp.date}/${stamp.time}.mp4`
  }
  // The camera reports once the track ends, after ~1 s of analysis.
  const endMs = startMs + Math.round(points[points.length - 1]!.t * 1000)
  const planned: PlannedEvent = { emitMs: endMs + Math.round(rng.between(500, 1500)), body }
  if (track.floor !== undefined) planned.floor = track.floor
  return planned
}

/**
 * Plans an injected throw: the track starts when the tracker locks on, `delayS` after the release
 * at `atMs`, so the release is exactly when the scenario says.
 */
function planThrow (s: Camera, inj: FallingObjectInjection): PlannedEvent {
  const rng = createRng(inj.seed)
  const floor = Math.min(Math.max(Math.round(inj.floor), 1), s.floors)
  const track = freeFall(s, rng, floor)
  return event(s, inj.atMs + Math.round(track.delayS * 1000), inj.label, track, rng)
}

/**
 * A façade camera for high-altitude thrown objects (Civil Code art. 1254). Rare events — by
 * default 3 free falls and 1.5 non-physical tracks (birds, leaves) per camera per simulated week,
 * fewer at night — each tracked at 25 fps and subsampled to ≤ 100 points. A free fall starts at a
 * window of floor 3 or above (floor heights from the community) and follows h(t) = h0 − g·t²/2
 * with a small horizontal drift; non-physical tracks have level and rising stretches and low
 * confidence. Nothing is reported between events. `inject` adds a throw from a given floor
 * (see {@link FallingObjectInjection}).
 */
export const fallingObjectModel: DeviceModel<'falling_object', FallingObjectState, FallingObjectInjection> = {
  kind: 'falling_object',
  init (setup, startMs, rng) {
    const facade = setup.building.facades.find((f) => f.id === setup.device.facade)
    const levels = floorLevels(setup.building)
    const base = {
      setup,
      seq: 0,
      events: 0,
      widthM: facade?.widthM ?? 30,
      floors: setup.building.floors,
      levelM: levels.levelM,
      roofM: levels.roofM
    }
    const pending = plan(base, startMs, rng)
    return { state: { ...base, pending, injected: [] }, nextMs: pending?.emitMs ?? Infinity }
  },
  step (s, t, rng): StepResult<'falling_object', FallingObjectState> {
    const thrown = s.injected[0]
    if (thrown !== undefined && thrown.emitMs <= t && (s.pending === null || thrown.emitMs <= s.pending.emitMs)) {
      // An injected throw goes out on its own: the natural plan and its draws are untouched.
      const msg = { ...thrown.body, seq: s.seq } as FallingObjectTelemetry
      const next = { ...s, seq: s.seq + 1, injected: s.injected.slice(1) }
      return { state: next, messages: [msg], nextMs: nextEmit(next) }
    }
    if (s.pending === null || t < s.pending.emitMs) return { state: s, messages: [], nextMs: nextEmit(s) }
    const msg = { ...s.pending.body, seq: s.seq } as FallingObjectTelemetry
    const next = { ...s, seq: s.seq + 1, events: s.events + 1 }
    const pending = plan(next, s.pending.emitMs, rng)
    const state = { ...next, pending }
    return { state, messages: [msg], nextMs: nextEmit(state) }
  },
  inject (s, injection) {
    if (!Number.isFinite(injection.atMs) || !Number.isFinite(injection.floor)) {
      throw new RangeError('a falling-object injection needs atMs (epoch ms) and floor')
    }
    const planned = planThrow(s, injection)
    const injected = [...s.injected, planned].sort((a, b) => a.emitMs - b.emitMs)
    return { state: { ...s, injected }, wakeMs: planned.emitMs }
  }
}

function nextEmit (s: FallingObjectState): number {
  return Math.min(s.pending?.emitMs ?? Infinity, s.injected[0]?.emitMs ?? Infinity)
}
