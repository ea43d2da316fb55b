import type { Building, Community, Device, DeviceKind, TelemetryOf } from '@gangwan/contracts'
import type { LocalClock } from '../local-clock.ts'
import type { Rng } from '../rng.ts'

/** The inventory entry of a device of kind `K`. */
export type DeviceOf<K extends DeviceKind> = Extract<Device, { kind: K }>

/** Tunable parameters of the five models; see {@link DEFAULT_MODEL_OPTIONS}. */
export interface ModelOptions {
  fire: { reportIntervalMs: number }
  elevator: { movingIntervalMs: number; idleIntervalMs: number }
  fume: { reportIntervalMs: number }
  noise: { reportIntervalMs: number }
  fallingObject: { eventsPerWeek: number; nonPhysicalPerWeek: number }
}

/** Reporting periods and event rates the brief and DOMAIN.md call for. */
export const DEFAULT_MODEL_OPTIONS: Readonly<ModelOptions> = Object.freeze({
  fire: { reportIntervalMs: 60_000 },
  elevator: { movingIntervalMs: 1_000, idleIntervalMs: 10_000 },
  fume: { reportIntervalMs: 60_000 },
  // HJ 906/907-2017 monitors report one-minute statistics.
  noise: { reportIntervalMs: 60_000 },
  fallingObject: { eventsPerWeek: 3, nonPhysicalPerWeek: 1.5 }
})

/** Everything a model needs to know about its device, fixed for the run. */
export interface DeviceSetup<K extends DeviceKind> {
  device: DeviceOf<K>
  community: Community
  building: Building
  clock: LocalClock
  /** Seed shared by every device of a run, for conditions the whole community sees (the weather). */
  sharedSeed: number
  options: ModelOptions
}

/** What one step returns: the next state, the messages measured, and when to step again. */
export interface StepResult<K extends DeviceKind, S> {
  state: S
  messages: TelemetryOf<K>[]
  /** Simulated time of the next step, epoch ms; always later than the step's time. */
  nextMs: number
}

/**
 * A device model: a pure, seeded state machine. `init` builds the state at the run's start;
 * `step(state, t, rng)` measures at simulated time `t` and never mutates `state` (only `rng`
 * advances). Each state carries the device's sequence counter, starting at 0 per run.
 * `inject` is the hook scenarios use to force readings (an alarm, a fault) from a given time.
 *
 * @example
 * let { state, nextMs } = fireModel.init(setup, start, rng)
 * const r = fireModel.step(state, nextMs, rng) // r.messages[0].seq === 0
 */
export interface DeviceModel<K extends DeviceKind, S, I = unknown> {
  kind: K
  init: (setup: DeviceSetup<K>, startMs: number, rng: Rng) => { state: S; nextMs: number }
  step: (state: S, simTimeMs: number, rng: Rng) => StepResult<K, S>
  inject?: (state: S, injection: I) => { state: S; wakeMs: number }
}

/** Rounds to `digits` decimals (readings are reported at instrument resolution, not float noise). */
export function round (x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Clamps `x` to [lo, hi]. */
export function clamp (x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x
}

/** A bell curve in hours, wrapping around midnight: 1 at `centre`, ~0.61 at ±`width`. */
export function peak (hour: number, centre: number, width: number): number {
  let d = Math.abs(hour - centre)
  if (d > 12) d = 24 - d
  return Math.exp(-0.5 * (d / width) ** 2)
}
