import type { FumeTelemetry } from '@gangwan/contracts'
import type { Rng } from '../rng.ts'
import { KIND_FAULTS, mapField, type FaultField } from './fault-fields.ts'
import type { FaultSpec } from './fault-spec.ts'
import { activeAt, mapStage, tag, type FaultedMessage, type FaultStage } from './fault-stage.ts'

type Spec<T extends FaultSpec['type']> = Extract<FaultSpec, { type: T }>
const FIRE = KIND_FAULTS.fire.fields
const FUME = KIND_FAULTS.fume.fields

/** Progress 0–1 of a ramp that starts at `fromMs` and ends `rampMs` later. */
function progress (spec: { fromMs: number, rampMs: number }, t: number): number {
  return Math.min(1, Math.max(0, (t - spec.fromMs) / spec.rampMs))
}

/**
 * Smouldering fire: smoke grows along (e^{3u} − 1)/(e³ − 1), slow at first and faster towards the
 * end of the ramp (a smouldering fire feeds itself), with turbulence of ±10 % of the rise. Only the
 * smoke change tags a message: a heat detector cannot see a smouldering fire.
 */
export function smoulderStage (spec: Spec<'smoulder'>, index: number, rng: Rng): FaultStage {
  const shape = (u: number): number => (Math.exp(3 * u) - 1) / (Math.exp(3) - 1)
  return mapStage(index, (msg) => {
    if (msg.kind !== 'fire' || !activeAt(spec, msg.ts)) return false
    const u = progress(spec, msg.ts)
    const rise = spec.riseDbM * shape(u)
    const changed = mapField(msg, FIRE.smokeDbM!, (v) => v + rise * (1 + rng.normal(0, 0.1)))
    mapField(msg, FIRE.temperatureC!, (v) => v + spec.temperatureRiseC * u)
    return changed
  })
}

/**
 * Purifier wear: while the purifier runs, its current falls and the outlet's fume and
 * particulates rise, both linearly over the ramp. NMHC passes an electrostatic purifier anyway.
 */
export function purifierWearStage (spec: Spec<'purifier_wear'>, index: number): FaultStage {
  const scale = (field: FaultField, msg: FumeTelemetry, k: number): boolean => mapField(msg, field, (v) => v * k)
  return mapStage(index, (msg) => {
    if (msg.kind !== 'fume' || !msg.purifierOn || !activeAt(spec, msg.ts)) return false
    const u = progress(spec, msg.ts)
    const gain = 1 + (spec.fumeGain - 1) * u
    let changed = scale(FUME.purifierCurrentA!, msg, 1 - spec.currentLoss * u)
    changed = scale(FUME.fumeMgM3!, msg, gain) || changed
    changed = scale(FUME.particulateMgM3!, msg, gain) || changed
    return changed
  })
}

/**
 * Door wear: the car reports its door `opening` (and `closing`) for longer. The stage holds the
 * samples of a door standing open (at most the 3–8 s dwell) until the door moves again, then
 * relabels the first of them as still opening and, when closing follows, the last as already
 * closing, keeping at least one sample open. Extra time is converted to samples at the stream's
 * own interval (1 s while a trip runs).
 */
export function doorWearStage (spec: Spec<'door_wear'>, index: number): FaultStage {
  let open: FaultedMessage[] = []
  const relabel = (m: FaultedMessage, door: 'opening' | 'closing'): FaultedMessage =>
    tag({ msg: { ...m.msg, door } as FaultedMessage['msg'], touched: m.touched }, index)
  const release = (next: FaultedMessage | undefined): FaultedMessage[] => {
    const held = open
    open = []
    const first = held[0]
    if (first === undefined) return next === undefined ? [] : [next]
    const u = progress(spec, first.msg.ts)
    const stepMs = held.length > 1 ? held[1]!.msg.ts - first.msg.ts : 1000
    let j = Math.round((spec.extraOpeningMs * u) / stepMs)
    let k = next?.msg.kind === 'elevator' && next.msg.door === 'closing' ? Math.round((spec.extraClosingMs * u) / stepMs) : 0
    const room = held.length - 1
    if (j + k > room) {
      const total = j + k
      j = Math.floor((j * room) / total)
      k = room - j
    }
    const out = held.map((m, i) => i < j ? relabel(m, 'opening') : i >= held.length - k ? relabel(m, 'closing') : m)
    if (next !== undefined) out.push(next)
    return out
  }
  return {
    push (m) {
      const opening = m.msg.kind === 'elevator' && m.msg.door === 'open'
      if (opening && (open.length > 0 || activeAt(spec, m.msg.ts))) { open.push(m); return [] }
      return release(m)
    },
    flush: () => release(undefined)
  }
}
