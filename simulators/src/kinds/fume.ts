import type { FumeTelemetry } from '@gangwan/contracts'
import { clockHours } from '../local-clock.ts'
import { clamp, peak, round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'

/**
 * Forced readings from `fromMs` until `untilMs`, the hook fume scenarios use. `purifierOff`: the
 * purifier is switched off while the fan runs (illegal discharge), so its current drops to zero and
 * the outlet carries the unpurified fume. `fumeMgM3`: the outlet concentration is held near this
 * level (an overloaded or bypassed purifier), particulates following.
 */
export interface FumeInjection {
  fromMs: number
  untilMs: number
  purifierOff?: boolean
  fumeMgM3?: number
}

/** State of one restaurant's fume monitor. */
export interface FumeState {
  setup: DeviceSetup<'fume'>
  seq: number
  dueMs: number
  /** Opening intervals in local hours; `close < open` wraps past midnight. */
  hours: readonly (readonly [number, number])[]
  limitMgM3: number
  /** Concentration between meals and at the meal peak, as fractions of the site limit. */
  baseFrac: number
  peakFrac: number
  particulatePerFume: number
  nmhcPerFume: number
  fanRatedA: number
  purifierRatedA: number
  /** Slowly varying multiplicative disturbance (AR(1)), so consecutive minutes are correlated. */
  wobble: number
  /** GB 18483-2001 minimum purifier efficiency of its size: what the outlet loses when it is off. */
  efficiency: number
  injections: readonly FumeInjection[]
}

/** Whether local `hour` falls in an opening interval. */
export function isOpen (hours: readonly (readonly [number, number])[], hour: number): boolean {
  return hours.some(([open, close]) => open <= close ? hour >= open && hour < close : hour >= open || hour < close)
}

/**
 * An online cooking-fume monitor (HJ 212-2017 style readings) in a restaurant's exhaust duct.
 * While the restaurant is open (its `openingHours` in the community file) the fan and purifier run
 * and the fume concentration sits at 15–25 % of the site limit between meals, rising to 55–75 %
 * at the lunch and dinner peaks: 0.3–1.5 mg/m³ under the GB 18483-2001 limit of 2.0, half that
 * where a local 1.0 limit applies. Particulates and NMHC follow the fume level; fan current grows
 * with the number of cooking heads. Closed: fan and purifier off, readings near zero. Every 60 s.
 * `inject` forces a purifier off or a concentration (see {@link FumeInjection}).
 */
export const fumeModel: DeviceModel<'fume', FumeState, FumeInjection> = {
  kind: 'fume',
  init (setup, startMs, rng) {
    const r = setup.community.restaurants.find((x) => x.id === setup.device.restaurant)
    if (r === undefined) throw new Error(`restaurant "${setup.device.restaurant}" of device "${setup.device.id}" is not in the community`)
    const state: FumeState = {
      setup,
      seq: 0,
      dueMs: startMs + Math.floor(rng.float() * setup.options.fume.reportIntervalMs),
      hours: r.openingHours.map((i) => [clockHours(i.open), clockHours(i.close)] as const),
      limitMgM3: r.fumeLimitMgM3,
      baseFrac: rng.between(0.15, 0.25),
      peakFrac: rng.between(0.55, 0.75),
      particulatePerFume: rng.between(1.8, 2.6),
      nmhcPerFume: rng.between(2.5, 5),
      // Exhaust fans are sized by cooking heads: ~2 A plus ~0.6 A per head (single-phase, typical).
      fanRatedA: 2 + 0.6 * r.cookingHeads,
      purifierRatedA: 0.6 + 0.15 * r.cookingHeads,
      wobble: 0,
      // GB 18483-2001 Table 1: ≥ 60 % (1–2 heads, small), 75 % (3–5, medium), 85 % (≥ 6, large).
      efficiency: r.cookingHeads >= 6 ? 0.85 : r.cookingHeads >= 3 ? 0.75 : 0.6,
      injections: []
    }
    return { state, nextMs: state.dueMs }
  },
  step (s, t, rng): StepResult<'fume', FumeState> {
    const hour = s.setup.clock.hourOfDay(t)
    const open = isOpen(s.hours, hour)
    const wobble = 0.8 * s.wobble + rng.normal(0, 0.04)
    let msg: FumeTelemetry
    if (open) {
      // Meal peaks: breakfast noodles (7:30, small), lunch (12:00), dinner (18:30).
      const meal = Math.min(1, 0.4 * peak(hour, 7.5, 0.6) + peak(hour, 12, 0.8) + peak(hour, 18.5, 1))
      const fume = clamp(s.limitMgM3 * (s.baseFrac + (s.peakFrac - s.baseFrac) * meal) * (1 + wobble), 0.02, 1000)
      msg = {
        kind: 'fume',
        seq: s.seq,
        ts: t,
        fumeMgM3: round(fume, 3),
        particulateMgM3: round(fume * s.particulatePerFume * (1 + rng.normal(0, 0.05)), 3),
        nmhcMgM3: round(Math.max(0, 0.2 + fume * s.nmhcPerFume * (1 + rng.normal(0, 0.05))), 3),
        fanCurrentA: round(s.fanRatedA * (1 + rng.normal(0, 0.02)), 2),
        fanOn: true,
        purifierCurrentA: round(s.purifierRatedA * (1 + rng.normal(0, 0.03)), 2),
        purifierOn: true
      }
    } else {
      msg = {
        kind: 'fume',
        seq: s.seq,
        ts: t,
        fumeMgM3: round(rng.between(0, 0.03), 3),
        particulateMgM3: round(rng.between(0, 0.05), 3),
        nmhcMgM3: round(rng.between(0.05, 0.2), 3),
        fanCurrentA: round(rng.between(0, 0.03), 2),
        fanOn: false,
        purifierCurrentA: round(rng.between(0, 0.02), 2),
        purifierOn: false
      }
    }
    for (const inj of s.injections) if (inj.fromMs <= t && t < inj.untilMs) msg = applyInjection(s, inj, msg, wobble)
    let dueMs = s.dueMs
    while (dueMs <= t) dueMs += s.setup.options.fume.reportIntervalMs
    const injections = s.injections.filter((i) => i.untilMs > t)
    return { state: { ...s, seq: s.seq + 1, dueMs, wobble, injections }, messages: [msg], nextMs: dueMs }
  },
  inject (s, injection) {
    if (!Number.isFinite(injection.fromMs) || !(injection.untilMs > injection.fromMs)) {
      throw new RangeError('a fume injection needs fromMs < untilMs (epoch ms)')
    }
    // Forced readings go out with the regular reports: the monitor keeps its period.
    return { state: { ...s, injections: [...s.injections, injection] }, wakeMs: s.dueMs }
  }
}

/** A reading with an injection applied; no random draws, so the rest of the stream is unchanged. */
function applyInjection (s: FumeState, inj: FumeInjection, msg: FumeTelemetry, wobble: number): FumeTelemetry {
  const out = { ...msg }
  if (inj.fumeMgM3 !== undefined) {
    // Half the usual wobble: the forced level stays clearly where the scenario puts it.
    const fume = inj.fumeMgM3 * (1 + wobble / 2)
    out.fumeMgM3 = round(fume, 3)
    out.particulateMgM3 = round(fume * s.particulatePerFume, 3)
  }
  if (inj.purifierOff === true && out.fanOn) {
    // Unpurified exhaust: the outlet carries what the purifier would have removed.
    const gain = 1 / (1 - s.efficiency)
    out.purifierOn = false
    out.purifierCurrentA = 0
    out.fumeMgM3 = round(out.fumeMgM3 * gain, 3)
    out.particulateMgM3 = round(out.particulateMgM3 * gain, 3)
  }
  return out
}
