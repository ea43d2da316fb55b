import { formatIssues, GangwanError, type DeviceKind, type TelemetryOf } from '@gangwan/contracts'
import { z } from 'zod'
import { createRng, hashSeed } from '../rng.ts'
import { KIND_FAULTS, type FaultField } from './fault-fields.ts'
import { FaultSpecSchema, type FaultSpec, type FaultSpecInput } from './fault-spec.ts'
import type { FaultedMessage, FaultStage } from './fault-stage.ts'
import { doorWearStage, purifierWearStage, smoulderStage } from './pattern-stages.ts'
import { driftStage, dropoutStage, spikeStage, stuckStage } from './sensor-stages.ts'

/** Applies a device's faults to its clean telemetry, message by message, in measurement-time order. */
export interface FaultInjector<K extends DeviceKind> {
  /** The messages that leave the device after this one (none when lost or held back, several when released). */
  push: (msg: TelemetryOf<K>) => FaultedMessage<K>[]
  /** Releases held messages at the end of the stream. */
  flush: () => FaultedMessage<K>[]
}

/**
 * Validates faults written for a device of `kind` (a scenario's "detector D-12 drifting"): the
 * schema, then that the kind takes that fault type on those fields.
 *
 * @example parseFaults('fire', [{ type: 'drift', fromMs: 0, field: 'smokeDbM', ratePerHour: 0.002 }])
 */
export function parseFaults (kind: DeviceKind, input: readonly FaultSpecInput[] | unknown): FaultSpec[] {
  const r = z.array(FaultSpecSchema).safeParse(input)
  if (!r.success) throw new GangwanError('GW_ERR_SCENARIO_INVALID', `faults are invalid:\n  ${formatIssues(r.error).join('\n  ')}`)
  r.data.forEach((spec, i) => {
    if (!KIND_FAULTS[kind].types.includes(spec.type)) {
      throw new GangwanError('GW_ERR_SCENARIO_INVALID', `faults.${i}: a ${kind} device takes no '${spec.type}' fault (it takes ${KIND_FAULTS[kind].types.join(', ')})`)
    }
    fieldsOf(kind, spec, i)
  })
  return r.data
}

function fieldsOf (kind: DeviceKind, spec: FaultSpec, i: number): FaultField[] {
  if (!('field' in spec) || spec.field === undefined) return []
  const table = KIND_FAULTS[kind].fields
  return (typeof spec.field === 'string' ? [spec.field] : spec.field).map((name) => {
    const field = table[name]
    if (field === undefined) {
      throw new GangwanError('GW_ERR_SCENARIO_INVALID', `faults.${i}.field: '${name}' is not a ${kind} reading (one of ${Object.keys(table).join(', ')})`)
    }
    return field
  })
}

/**
 * Builds the injector of one device: one stage per fault, applied in the order listed, each with
 * its own random source from `seed` and its position, so the same faults and seed give the same
 * stream, and adding a fault leaves the draws of the others unchanged. Pure apart from that state.
 *
 * @example
 * const inj = createFaultInjector('fire', [{ type: 'stuck', fromMs: t0, field: 'smokeDbM' }], 7)
 * const out = msgs.flatMap((m) => inj.push(m)).concat(inj.flush())
 */
export function createFaultInjector<K extends DeviceKind> (kind: K, faults: readonly FaultSpecInput[], seed: number): FaultInjector<K> {
  const specs = parseFaults(kind, faults)
  const stages: FaultStage[] = specs.map((spec, i) => {
    const rng = createRng(hashSeed(seed, `fault:${i}:${spec.type}`))
    const fields = fieldsOf(kind, spec, i)
    switch (spec.type) {
      case 'stuck': return stuckStage(spec, fields, i)
      case 'drift': return driftStage(spec, fields, i)
      case 'spike': return spikeStage(spec, fields, i, rng)
      case 'dropout': return dropoutStage(spec, fields, i, rng)
      case 'smoulder': return smoulderStage(spec, i, rng)
      case 'door_wear': return doorWearStage(spec, i)
      case 'purifier_wear': return purifierWearStage(spec, i)
    }
  })
  const run = (from: number, batch: FaultedMessage[]): FaultedMessage[] => {
    let cur = batch
    for (let s = from; s < stages.length; s++) cur = cur.flatMap((m) => stages[s]!.push(m))
    return cur
  }
  return {
    push: (msg) => run(0, [{ msg, touched: [] }]) as unknown as FaultedMessage<K>[],
    flush: () => {
      // Each stage's held messages still pass through the stages after it.
      const out: FaultedMessage[] = []
      for (let s = 0; s < stages.length; s++) out.push(...run(s + 1, stages[s]!.flush()))
      return out as unknown as FaultedMessage<K>[]
    }
  }
}

/**
 * Runs a whole finite stream through {@link createFaultInjector}.
 *
 * @example applyFaults('noise', msgs, [{ type: 'drift', fromMs: t0, field: 'levels', ratePerHour: 2 }], 1)
 */
export function applyFaults<K extends DeviceKind> (kind: K, msgs: readonly TelemetryOf<K>[], faults: readonly FaultSpecInput[], seed: number): FaultedMessage<K>[] {
  const inj = createFaultInjector(kind, faults, seed)
  return [...msgs.flatMap((m) => inj.push(m)), ...inj.flush()]
}
