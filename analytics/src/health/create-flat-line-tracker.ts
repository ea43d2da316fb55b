import type { HealthSettings, Telemetry } from '@gangwan/contracts'
import type { Signal } from '../core/signal.ts'
import { HEALTH_FLAT_LINE } from './health-rules.ts'
import type { HealthSubject, HealthSubjects } from './health-subjects.ts'

/**
 * The analogue readings of a message worth watching, by field; absent or invalid ones left out.
 * Fume monitors are not here: the fume kind's own `fume.probe-flat` judges them (only fan-on
 * samples count there), and two alerts for one stuck probe would be one too many. Elevator speed
 * and floor are legitimately constant while the car stands.
 */
function analogueReadings (msg: Telemetry): Record<string, number> {
  switch (msg.kind) {
    case 'fire': {
      const out: Record<string, number> = {}
      if (msg.temperatureC !== undefined) out.temperatureC = msg.temperatureC
      if (msg.smokeDbM !== undefined) out.smokeDbM = msg.smokeDbM
      return out
    }
    // GB 3096-2008 Annex C: samples invalidated by rain or wind are excluded from everything.
    case 'noise': return msg.valid ? { leq: msg.leq } : {}
    default: return {}
  }
}

interface Run { value: number, count: number, fromMs: number }

/** Runs of identical readings per field, and how many fields are flat now. */
interface FlatState { runs: Map<string, Run>, flat: number }

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
    const flat = [...st.runs].filter(([, r]) => r.count >= n)
    const was = st.flat
    st.flat = flat.length
    if (flat.length === 0) return was > 0 ? [subjects.clear(HEALTH_FLAT_LINE, subject.id, at)] : []
    const names = flat.map(([f]) => f).join(',')
    const values: Record<string, number | string> = { fields: names, samples: Math.min(...flat.map(([, r]) => r.count)) }
    for (const [f, r] of flat) values[f] = r.value
    return [subjects.raise(HEALTH_FLAT_LINE, subject, {
      at,
      values,
      fromMs: Math.min(...flat.map(([, r]) => r.fromMs)),
      toMs: at,
      title: `Sensor flat-lined (${names}): ${subject.id}`
    })]
  }

  return {
    observe (subject, msg) {
      const readings = analogueReadings(msg)
      let st: FlatState | undefined
      // Runs on every message: only a field crossing the threshold either way is worth a verdict.
      let changed = false
      for (const field in readings) {
        const value = readings[field]!
        st ??= state.get(subject.id)
        if (st === undefined) {
          st = { runs: new Map(), flat: 0 }
          state.set(subject.id, st)
        }
        const run = st.runs.get(field)
        if (run === undefined) {
          st.runs.set(field, { value, count: 1, fromMs: msg.ts })
        } else if (run.value === value) {
          if (++run.count === n) changed = true
        } else {
          if (run.count >= n) changed = true
          run.value = value
          run.count = 1
          run.fromMs = msg.ts
        }
      }
      return st !== undefined && changed ? verdict(subject, st, msg.ts) : []
    }
  }
}
