import type { NoiseTelemetry, ZoneClass } from '@gangwan/contracts'
import { clockHours } from '../local-clock.ts'
import { hashUnit, type Rng } from '../rng.ts'
import { round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'

/**
 * Forced minute statistics from `fromMs` until `untilMs` (open-ended when absent), the hook noise
 * scenarios use. `leqDb`/`lmaxDb` hold the minute's Leq and Lmax near those levels (a KTV, a
 * building site), the other statistics following; `withinLimits` keeps the meter's own levels
 * inside its zone's limits (see {@link withinLimits}); `events: false` drops the short loud
 * events; `valid` overrides the rain/wind verdict. Later injections win where they overlap.
 */
export interface NoiseInjection {
  fromMs: number
  untilMs?: number
  leqDb?: number
  lmaxDb?: number
  withinLimits?: boolean
  events?: boolean
  valid?: boolean
}

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
  injections: readonly NoiseInjection[]
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
  // The minute ends at `t`: an injection covers it when it covers the minute's start.
  const inj: Omit<NoiseInjection, 'fromMs' | 'untilMs'> = {}
  for (const i of s.injections) if (i.fromMs < t && (i.untilMs === undefined || t <= i.untilMs)) Object.assign(inj, i)
  let leq = typicalLeq(hour) + CLASS_OFFSET_DB[s.zoneClass] + s.siteOffsetDb + wander + rng.normal(0, 0.8)
  let invalidReason: NoiseTelemetry['invalidReason']
  if (inj.valid === true) {
    // Forced valid: nothing invalidates the minute.
  } else if (inj.valid === false) {
    invalidReason = 'other'
  } else if (rainingAt(s.setup.sharedSeed, t)) {
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
  if (inj.events !== false && rng.chance(day ? 0.12 : 0.04)) {
    const eventDb = leq + rng.between(8, 22)
    leq = energyAdd(leq, eventDb, rng.between(1, 5), intervalS)
    lmax = Math.max(lmax, eventDb, leq)
  }
  if (inj.leqDb !== undefined) {
    // Move the whole distribution so Leq lands within ±0.5 dB of the forced level.
    const shift = inj.leqDb + rng.between(-0.5, 0.5) - leq
    return forced(s, t, intervalS, { leq: leq + shift, lmax: lmax + shift, lmin: lmin + shift, l10: l10 + shift, l50: l50 + shift, l90: l90 + shift }, inj, invalidReason, rng)
  }
  if (inj.lmaxDb !== undefined) return forced(s, t, intervalS, { leq, lmax, lmin, l10, l50, l90 }, inj, invalidReason, rng)
  if (inj.withinLimits === true) return forced(s, t, intervalS, withinLimits(s, t, { leq, lmax, lmin, l10, l50, l90 }), inj, invalidReason, rng)
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

type Levels = Pick<NoiseTelemetry, 'leq' | 'lmax' | 'lmin' | 'l10' | 'l50' | 'l90'>

/** `x` unchanged up to `cap − knee`, then bent smoothly towards `cap`, never reaching it. */
function softCap (x: number, cap: number, knee: number): number {
  const from = cap - knee
  return x <= from ? x : from + knee * Math.tanh((x - from) / knee)
}

// A compliant site's typical level sits this far under its limit: the hourly energy average runs
// ~1 dB over the minutes' mean (loud events, spread) and the slow wander ~0.5 dB over an hour.
const COMPLIANT_MARGIN_DB = 4

/**
 * A compliant site: the model's class curve peaks over the GB 3096-2008 limits on its own (class
 * 1 ~57 dB(A) on evenings against 55, ~46 at 22:00 against 45), and night Lmax sometimes passes
 * the limit + 10 dB of frequent noise (GB 12348-2008 §4.1). Here the meter's typical level is
 * lowered where it comes within 4 dB of its period's limit (all six levels together, so the
 * minute-to-minute variation is the model's own), and at night Lmax is bent softly under the
 * limit + 10 dB.
 */
function withinLimits (s: NoiseState, t: number, l: Levels): Levels {
  const { community } = s.setup
  const settings = community.analytics.noise
  const limits = settings.limits[s.zoneClass]
  // The minute ending at `t` lies in the period of its last instant (GB 3096-2008 §3.4 boundaries).
  const hour = s.setup.clock.hourOfDay(t - 1)
  const day0 = clockHours(community.noise.dayStart)
  const night0 = clockHours(community.noise.nightStart)
  const night = day0 <= night0 ? hour < day0 || hour >= night0 : hour >= night0 && hour < day0
  const typical = typicalLeq(hour) + CLASS_OFFSET_DB[s.zoneClass] + s.siteOffsetDb
  const d = Math.min(0, (night ? limits.night : limits.day) - COMPLIANT_MARGIN_DB - typical)
  let lmax = l.lmax + d
  if (night) lmax = softCap(lmax, limits.night + settings.frequentExcessDb - 1, 3)
  return { leq: l.leq + d, lmax, lmin: l.lmin + d, l10: l.l10 + d, l50: l.l50 + d, l90: l.l90 + d }
}

/** A minute with forced levels: Lmax at the forced level plus 0–2 dB, never under L10 or Leq. */
function forced (s: NoiseState, t: number, intervalS: number, l: Levels, inj: Omit<NoiseInjection, 'fromMs' | 'untilMs'>, invalidReason: NoiseTelemetry['invalidReason'], rng: Rng): NoiseTelemetry {
  const l10 = Math.max(l.l10, l.l50)
  const lmax = Math.max(inj.lmaxDb !== undefined ? inj.lmaxDb + rng.between(0, 2) : l.lmax, l10, l.leq)
  const msg: NoiseTelemetry = {
    kind: 'noise',
    seq: s.seq,
    ts: t,
    intervalS,
    leq: round(l.leq, 1),
    lmax: round(lmax, 1),
    lmin: round(Math.max(0, l.lmin), 1),
    l10: round(l10, 1),
    l50: round(l.l50, 1),
    l90: round(Math.max(0, l.l90), 1),
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
 * `inject` forces levels for a while (see {@link NoiseInjection}).
 */
export const noiseModel: DeviceModel<'noise', NoiseState, NoiseInjection> = {
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
      wander: 0,
      injections: []
    }
    return { state, nextMs: state.dueMs }
  },
  step (s, t, rng): StepResult<'noise', NoiseState> {
    // AR(1) with coefficient 0.9 per minute: ~10 minutes of memory, stationary sd ≈ 1.1 dB.
    const wander = 0.9 * s.wander + rng.normal(0, 0.5)
    const msg = measure(s, t, wander, rng)
    let dueMs = s.dueMs
    while (dueMs <= t) dueMs += s.setup.options.noise.reportIntervalMs
    const injections = s.injections.length === 0 ? s.injections : s.injections.filter((i) => i.untilMs === undefined || i.untilMs > t)
    return { state: { ...s, seq: s.seq + 1, dueMs, wander, injections }, messages: [msg], nextMs: dueMs }
  },
  inject (s, injection) {
    if (!Number.isFinite(injection.fromMs) || (injection.untilMs !== undefined && !(injection.untilMs > injection.fromMs))) {
      throw new RangeError('a noise injection needs fromMs (epoch ms) and, if given, a later untilMs')
    }
    // Minute statistics keep their period: forced levels go out with the regular reports.
    return { state: { ...s, injections: [...s.injections, injection] }, wakeMs: s.dueMs }
  }
}
