import type { Rng } from '../rng.ts'
import { mapField, type FaultField } from './fault-fields.ts'
import type { FaultSpec } from './fault-spec.ts'
import { activeAt, mapStage, type FaultStage } from './fault-stage.ts'

type Spec<T extends FaultSpec['type']> = Extract<FaultSpec, { type: T }>
const HOUR_MS = 3_600_000

/** Stuck-at: every value of the fields is held at what it read on the first message in the span. */
export function stuckStage (spec: Spec<'stuck'>, fields: readonly FaultField[], index: number): FaultStage {
  const held = new Map<string, number>()
  return mapStage(index, (msg) => {
    if (!activeAt(spec, msg.ts)) return false
    let changed = false
    for (const field of fields) {
      changed = mapField(msg, field, (v, key) => {
        const h = held.get(key)
        if (h === undefined) { held.set(key, v); return v }
        return h
      }) || changed
    }
    return changed
  })
}

/** Drift: the reading gains `ratePerHour` per hour of measurement time since `fromMs`. */
export function driftStage (spec: Spec<'drift'>, fields: readonly FaultField[], index: number): FaultStage {
  return mapStage(index, (msg) => {
    if (!activeAt(spec, msg.ts)) return false
    const offset = (spec.ratePerHour * (msg.ts - spec.fromMs)) / HOUR_MS
    let changed = false
    for (const field of fields) changed = mapField(msg, field, (v) => v + offset) || changed
    return changed
  })
}

/**
 * Spikes: each message (camera: each trajectory point) is hit with `probability`. One draw per
 * message or point, so the six noise levels of a minute move together and keep their order.
 */
export function spikeStage (spec: Spec<'spike'>, fields: readonly FaultField[], index: number, rng: Rng): FaultStage {
  const draw = (): number => {
    if (!rng.chance(spec.probability)) return 0
    const sign = spec.direction === 'up' ? 1 : spec.direction === 'down' ? -1 : rng.chance(0.5) ? 1 : -1
    return sign * spec.magnitude * rng.between(0.5, 1.5)
  }
  return mapStage(index, (msg) => {
    if (!activeAt(spec, msg.ts)) return false
    let changed = false
    for (const field of fields) {
      const deltas = new Map<number, number>()
      changed = mapField(msg, field, (v, _key, point) => {
        let d = deltas.get(point)
        if (d === undefined) { d = draw(); deltas.set(point, d) }
        return v + d
      }) || changed
    }
    return changed
  })
}

/** Dropout: a message is lost (a gap in `seq`) or its fields read 0, each with `probability`. */
export function dropoutStage (spec: Spec<'dropout'>, fields: readonly FaultField[], index: number, rng: Rng): FaultStage {
  return mapStage(index, (msg) => {
    if (!activeAt(spec, msg.ts) || !rng.chance(spec.probability)) return false
    if (spec.mode === 'lose') return 'lose'
    let changed = false
    for (const field of fields) changed = mapField(msg, field, () => 0) || changed
    return changed
  })
}
