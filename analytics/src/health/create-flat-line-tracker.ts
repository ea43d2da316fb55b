import type { HealthSettings, Telemetry } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { NO_SIGNALS } from '../core/no-signals.ts'
import { HEALTH_FLAT_LINE } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

interface Run { field: string, value: number, count: number, fromMs: number }

/**
 * Runs of identical readings per field, in the order the fields were first seen (one or two per
 * device: a scan beats a Map lookup), and how many fields are flat now.
 */
interface FlatState { runs: Run[], flat: number }

/** Finds analogue sensors whose reading stopped moving. */
export interface FlatLineTracker {
  observe: (subject: HealthSubject, msg: Telemetry) => Signal[]
}

/**
 * A live sensor always shows some noise (a chamber's temperature at 0.1 °C, a noise meter's Leq at
 * 0.1 dB); `health.flatLineSamples` identical readings in a row mean a stuck, disconnected or
 * faked probe. A message without the field neither extends nor breaks its run. Raised when a field
 * goes flat (again when another one joins it); cleared once no field is flat, i.e. by the first
 * reading that differs.
 *
 * @example
 * const flat = createFlatLineTracker(ctx.settings.health, subjects)
 * flat.observe(subject, msg) // [] until 30 identical readings
 */
export function createFlatLineTracker (s: HealthSettings, subjects: HealthSubjects): FlatLineTracker {
  const state = new Map<string, FlatState>()
  const n = s.flatLineSamples

  function verdict (subject: HealthSubject, st: FlatState, at: number): Signal[] {
    const flat = st.runs.filter((r) => r.count >= n)
    const was = st.flat
    st.flat = flat.length
    if (flat.length === 0) return was > 0 ? [subjects.clear(HEALTH_FLAT_LINE, subject.id, at)] : NO_SIGNALS
    const names = flat.map((r) => r.field).join(',')
    const values: Record<string, number | string> = { fields: names, samples: Math.min(...flat.map((r) => r.count)) }
    for (const r of flat) values[r.field] = r.value
    return [subjects.raise(HEALTH_FLAT_LINE, subject, {
      at,
      values,
      fromMs: Math.min(...flat.map((r) => r.fromMs)),
      toMs: at,
      title: `Sensor flat-lined (${names}): ${subject.id}`
    })]
  }

  /** Extends or breaks the run of `field`; true when it crosses the threshold either way. */
  function track (st: FlatState, field: string, value: number, ts: number): boolean {
    let run: Run | undefined
    for (const r of st.runs) if (r.field === field) run = r
    if (run === undefined) {
      st.runs.push({ field, value, count: 1, fromMs: ts })
      return false
    }
    if (run.value === value) return ++run.count === n
    const was = run.count >= n
    run.value = value
    run.count = 1
    run.fromMs = ts
    return was
  }

  function stateOf (id: string): FlatState {
    let st = state.get(id)
    if (st === undefined) {
      st = { runs: [], flat: 0 }
      state.set(id, st)
    }
    return st
  }

  return {
    observe (subject, msg) {
      // The analogue readings worth watching, field by field, absent or invalid ones left out.
      // Fume monitors are not here: the fume kind's own `fume.probe-flat` judges them (only fan-on
      // samples count there), and two alerts for one stuck probe would be one too many. Elevator
      // speed and floor are legitimately constant while the car stands.
      // Runs on every message: only a field crossing the threshold either way is worth a verdict.
      let st: FlatState
      let changed = false
      switch (msg.kind) {
        case 'fire': {
          if (msg.temperatureC === undefined && msg.smokeDbM === undefined) return NO_SIGNALS
          st = stateOf(subject.id)
          if (msg.temperatureC !== undefined) changed = track(st, 'temperatureC', msg.temperatureC, msg.ts)
          if (msg.smokeDbM !== undefined) changed = track(st, 'smokeDbM', msg.smokeDbM, msg.ts) || changed
          break
        }
        case 'noise': {
          // GB 3096-2008 Annex C: samples invalidated by rain or wind are excluded from everything.
          if (!msg.valid) return NO_SIGNALS
          st = stateOf(subject.id)
          changed = track(st, 'leq', msg.leq, msg.ts)
          break
        }
        default: return NO_SIGNALS
      }
      return changed ? verdict(subject, st, msg.ts) : NO_SIGNALS
    }
  }
}
