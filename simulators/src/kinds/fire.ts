import type { FireTelemetry } from '@gangwan/contracts'
import type { Rng } from '../rng.ts'
import { clamp, peak, round, type DeviceModel, type DeviceSetup, type StepResult } from './device-model.ts'

/**
 * Forced readings from `fromMs` until `untilMs` (open-ended when absent): the hook fire scenarios
 * use (a smoke rise, a pressed call point, a removed detector). Fields left out keep their
 * modelled value.
 */
export interface FireInjection {
  fromMs: number
  untilMs?: number
  smokeDbM?: number
  temperatureC?: number
  alarm?: boolean
  manualCall?: boolean
  fault?: boolean
  tamper?: boolean
  batteryPct?: number
}

/** State of one fire detector. */
export interface FireState {
  setup: DeviceSetup<'fire'>
  seq: number
  /** Next regular report, epoch ms. */
  dueMs: number
  startMs: number
  smokeBaseDbM: number
  tempMeanC: number
  tempAmpC: number
  kitchen: boolean
  /** Battery at the run's start; undefined for loop-powered manual call points. */
  batteryStartPct: number | undefined
  injections: readonly FireInjection[]
}

const MONTH_MS = 30 * 86_400_000
// Lithium cells in wireless detectors drain ~2 %/month (the brief's figure; a 3–5 year life).
const BATTERY_DRAIN_PCT_PER_MS = 2 / MONTH_MS
// Dust slowly raises a photoelectric chamber's clean-air reading ("dirty chamber" drift).
const SMOKE_DRIFT_DBM_PER_MS = 0.0005 / MONTH_MS

function activeAt (injections: readonly FireInjection[], t: number): FireInjection[] {
  return injections.filter((i) => i.fromMs <= t && (i.untilMs === undefined || t < i.untilMs))
}

function nextBoundary (injections: readonly FireInjection[], t: number): number {
  let next = Infinity
  for (const i of injections) {
    if (i.fromMs > t) next = Math.min(next, i.fromMs)
    if (i.untilMs !== undefined && i.untilMs > t) next = Math.min(next, i.untilMs)
  }
  return next
}

function measure (s: FireState, t: number, rng: Rng): FireTelemetry {
  const { detector } = s.setup.device
  const hour = s.setup.clock.hourOfDay(t)
  // Indoor air follows the outdoor day with a lag: warmest mid-afternoon, coolest before dawn.
  let temp = s.tempMeanC + s.tempAmpC * Math.cos((2 * Math.PI * (hour - 15)) / 24) + rng.normal(0, 0.1)
  if (s.kitchen) temp += 6 * (peak(hour, 12, 1) + peak(hour, 18.5, 1.2))
  const smoke = clamp(s.smokeBaseDbM + SMOKE_DRIFT_DBM_PER_MS * (t - s.startMs) + rng.normal(0, 0.0015), 0, 20)
  const msg: FireTelemetry = { kind: 'fire', seq: s.seq, ts: t, alarm: false, fault: false, tamper: false }
  if (detector === 'smoke' || detector === 'multi') msg.smokeDbM = round(smoke, 3)
  if (detector !== 'manual_call_point') msg.temperatureC = round(temp, 1)
  else msg.manualCall = false
  if (s.batteryStartPct !== undefined) {
    msg.batteryPct = round(clamp(s.batteryStartPct - BATTERY_DRAIN_PCT_PER_MS * (t - s.startMs), 0, 100), 1)
  }
  for (const inj of activeAt(s.injections, t)) {
    const { fromMs: _f, untilMs: _u, ...fields } = inj
    Object.assign(msg, fields)
  }
  return msg
}

/**
 * Smoke, heat and multi-sensor detectors and manual call points. A clean chamber reads
 * 0.005–0.02 dB/m with noise, well under the GB 4715-2024 §5.7 type A threshold of 0.05 dB/m;
 * the chamber temperature follows a diurnal indoor curve (kitchens, heat class B, warm up at meal
 * times); batteries drain ~2 %/month. No alarm is ever raised unless injected.
 */
export const fireModel: DeviceModel<'fire', FireState, FireInjection> = {
  kind: 'fire',
  init (setup, startMs, rng) {
    const { detector, heatClass } = setup.device
    const kitchen = detector === 'heat' && heatClass === 'B'
    const state: FireState = {
      setup,
      seq: 0,
      // Detectors were switched on at different times: spread the first reports over a period.
      dueMs: startMs + Math.floor(rng.float() * setup.options.fire.reportIntervalMs),
      startMs,
      smokeBaseDbM: rng.between(0.005, 0.02),
      tempMeanC: kitchen ? rng.normal(28, 1) : rng.normal(22, 1.5),
      tempAmpC: rng.between(1, 2.5),
      kitchen,
      batteryStartPct: detector === 'manual_call_point' ? undefined : rng.between(55, 100),
      injections: []
    }
    return { state, nextMs: state.dueMs }
  },
  step (s, t, rng): StepResult<'fire', FireState> {
    const msg = measure(s, t, rng)
    let dueMs = s.dueMs
    while (dueMs <= t) dueMs += s.setup.options.fire.reportIntervalMs
    const injections = s.injections.filter((i) => i.untilMs === undefined || i.untilMs > t)
    const state: FireState = { ...s, seq: s.seq + 1, dueMs, injections }
    return { state, messages: [msg], nextMs: Math.min(dueMs, nextBoundary(injections, t)) }
  },
  inject (s, injection) {
    // A fire alarm is sent at once, not at the next regular report (GB 26875.1 "火警优先").
    return { state: { ...s, injections: [...s.injections, injection] }, wakeMs: injection.fromMs }
  }
}
