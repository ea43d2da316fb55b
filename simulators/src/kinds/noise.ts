import type { NoiseTelemetry, ZoneClass } from '@gangwan/contracts'
import { hashUnit, type Rng } from '../rng.ts'
import { round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'

/** State of one outdoor noise meter. */
export interface NoiseState {
  setup: DeviceSetup<'noise'>
  seq: number
  dueMs: number
  zoneClass: ZoneClass
  /** This meter's site offset from the zone's typical curve, dB. */
  siteOffsetDb: number
  /** Slow wander (AR(1), ~10-minute memory), dB. */
  wander: number
}

// Typical hourly Leq in dB(A) at a class 1 (residential) site, local hours 0–23: day 06–22 around
// 50–57 (GB 3096-2008 class 1 day limit 55), night 22–06 around 38–46 (night limit 45).
const CLASS1_LEQ = [41, 39.5, 38.5, 38, 38.5, 41, 47, 53, 55, 54, 54, 55, 54, 53, 54, 54, 55, 56.5, 57, 57, 56, 54, 46, 43]
// How much louder each GB 3096-2008 zone class typically is than class 1 (limits step by ~5 dB).
const CLASS_OFFSET_DB: Record<ZoneClass, number> = { 0: -4, 1: 0, 2: 4, 3: 7, '4a': 9, '4b': 10 }

function typicalLeq (hour: number): number {
  const i = Math.floor(hour) % 24
  const frac = hour - Math.floor(hour)
  return CLASS1_LEQ[i]! * (1 - frac) + CLASS1_LEQ[(i + 1) % 24]! * frac
}

const HOUR_MS = 3_600_000

/**
 * Whether it rains at `t`: one community-wide weather, the same for every meter of the run.
 * A shower starts in ~4 % of hours and lasts 1–4 h (Guiyang is among China's rainiest cities).
 */
export function rainingAt (sharedSeed: number, t: number): boolean {
  const slot = Math.floor(t / HOUR_MS)
  for (let start = slot - 3; start <= slot; start++) {
    if (hashUnit(sharedSeed, `rain:${start}`) < 0.04) {
      const hours = 1 + Math.floor(hashUnit(sharedSeed, `rain-len:${start}`) * 4)
      if (slot < start + hours) return true
    }
  }
  return false
}

/** Adds a short loud event (`levelDb` for `seconds` of the minute) to an equivalent level. */
function energyAdd (leq: number, levelDb: number, seconds: number, intervalS: number): number {
  return 10 * Math.log10(((intervalS - seconds) / intervalS) * 10 ** (leq / 10) + (seconds / intervalS) * 10 ** (levelDb / 10))
}

function measure (s: NoiseState, t: number, wander: number, rng: Rng): NoiseTelemetry {
  const intervalS = Math.round(s.setup.options.noise.reportIntervalMs / 1000)
  const hour = s.setup.clock.hourOfDay(t)
  let leq = typicalLeq(hour) + CLASS_OFFSET_DB[s.zoneClass] + s.siteOffsetDb + wander + rng.normal(0, 0.8)
  let invalidReason: NoiseTelemetry['invalidReason']
  if (rainingAt(s.setup.sharedSeed, t)) {
    // Rain on the windscreen and on roofs masks the ambient level (GB 3096-2008 Annex C: no valid measurement in rain).
    invalidReason = 'rain'
    leq += rng.between(3, 8)
  } else if (rng.chance(0.003)) {
    // Gusts above 5 m/s also invalidate the minute.
    invalidReason = 'wind'
    leq += rng.between(2, 6)
  }
  const l50 = leq - rng.between(0.5, 2.5)
  const l90 = l50 - rng.between(2, 6)
  const lmin = l90 - rng.between(0.5, 2.5)
  const l10 = l50 + rng.between(2, 5)
  let lmax = Math.max(l10, leq) + rng.between(3, 10)
  // A horn, a dog, a motorbike: a few seconds well above the background, more often by day.
  const day = hour >= 6 && hour < 22
  if (rng.chance(day ? 0.12 : 0.04)) {
    const eventDb = leq + rng.between(8, 22)
    leq = energyAdd(leq, eventDb, rng.between(1, 5), intervalS)
    lmax = Math.max(lmax, eventDb, leq)
  }
  const msg: NoiseTelemetry = {
    kind: 'noise',
    seq: s.seq,
    ts: t,
    intervalS,
    leq: round(leq, 1),
    lmax: round(lmax, 1),
    lmin: round(lmin, 1),
    l10: round(Math.max(l10, l50), 1),
    l50: round(l50, 1),
    l90: round(l90, 1),
    valid: invalidReason === undefined
  }
  if (invalidReason !== undefined) msg.invalidReason = invalidReason
  return msg
}

/**
 * An outdoor noise meter reporting one-minute statistics (HJ 906/907-2017): Leq follows a diurnal
 * curve for its GB 3096-2008 zone class (residential: ~50–57 dB(A) by day, ~38–46 at night, mixed
 * class 2 about 4 dB louder), with a site offset, slow wander, and short loud events that raise
 * Lmax and Leq. Lmin ≤ L90 ≤ L50 ≤ L10 ≤ Lmax always holds. Minutes in rain (shared weather) or
 * high wind are reported with `valid: false` and the reason. Every 60 s; `ts` ends the minute.
 */
export const noiseModel: DeviceModel<'noise', NoiseState> = {
  kind: 'noise',
  init (setup, startMs, rng) {
    const grid = setup.community.grids.find((g) => g.id === setup.building.grid)
    const interval = setup.options.noise.reportIntervalMs
    const state: NoiseState = {
      setup,
      seq: 0,
      // Meters report on the minute boundary: one-minute statistics end on the minute.
      dueMs: Math.ceil((startMs + 1) / interval) * interval,
      zoneClass: setup.device.zoneClass ?? grid?.zoneClass ?? '1',
      siteOffsetDb: rng.normal(0, 1),
      wander: 0
    }
    return { state, nextMs: state.dueMs }
  },
  step (s, t, rng): StepResult<'noise', NoiseState> {
    // AR(1) with coefficient 0.9 per minute: ~10 minutes of memory, stationary sd ≈ 1.1 dB.
    const wander = 0.9 * s.wander + rng.normal(0, 0.5)
    const msg = measure(s, t, wander, rng)
    let dueMs = s.dueMs
    while (dueMs <= t) dueMs += s.setup.options.noise.reportIntervalMs
    return { state: { ...s, seq: s.seq + 1, dueMs, wander }, messages: [msg], nextMs: dueMs }
  }
}
