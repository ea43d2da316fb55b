import type { DeviceKind, Telemetry } from '@gangwan/contracts'
import type { FaultType } from './fault-spec.ts'

/** A numeric reading a fault may act on, with the schema's bounds and the instrument's resolution. */
export interface FaultField {
  /** The telemetry properties it writes (noise: all six levels move together, so the ordering holds). */
  keys: readonly string[]
  min: number
  max: number
  /** Decimals reported (0: an integer such as an elevator's floor). */
  digits: number
  /** Camera fields live on each trajectory point, not on the message. */
  perPoint?: boolean
}

/** What faults each kind accepts and on which fields, by kind. */
export interface KindFaults {
  fields: Readonly<Record<string, FaultField>>
  types: readonly FaultType[]
}

const f = (keys: readonly string[], min: number, max: number, digits: number, perPoint = false): FaultField => ({ keys, min, max, digits, perPoint })
const mgM3 = (key: string): FaultField => f([key], 0, 1000, 3)
const amps = (key: string): FaultField => f([key], 0, 200, 2)
const SENSOR: readonly FaultType[] = ['stuck', 'drift', 'spike', 'dropout']

/**
 * Fields and fault types per kind, with bounds from the contracts' telemetry schemas so a faulted
 * message still passes validation (a fault that made messages invalid would never reach analytics).
 */
export const KIND_FAULTS: { readonly [K in DeviceKind]: KindFaults } = {
  fire: {
    fields: { smokeDbM: f(['smokeDbM'], 0, 20, 3), temperatureC: f(['temperatureC'], -40, 300, 1), batteryPct: f(['batteryPct'], 0, 100, 1) },
    types: [...SENSOR, 'smoulder']
  },
  elevator: {
    fields: { speedMps: f(['speedMps'], 0, 25, 2), floor: f(['floor'], -20, 300, 0) },
    types: [...SENSOR, 'door_wear']
  },
  fume: {
    fields: {
      fumeMgM3: mgM3('fumeMgM3'), particulateMgM3: mgM3('particulateMgM3'), nmhcMgM3: mgM3('nmhcMgM3'),
      fanCurrentA: amps('fanCurrentA'), purifierCurrentA: amps('purifierCurrentA')
    },
    types: [...SENSOR, 'purifier_wear']
  },
  noise: {
    // One microphone feeds every statistic: a fault moves all six levels by the same amount.
    fields: { levels: f(['leq', 'lmax', 'lmin', 'l10', 'l50', 'l90'], 0, 160, 1) },
    types: SENSOR
  },
  falling_object: {
    // A tracker glitch displaces single trajectory points; a lost event leaves a seq gap.
    fields: { h: f(['h'], -5, 1000, 2, true), x: f(['x'], -50, 1000, 2, true) },
    types: ['spike', 'dropout']
  }
}

/** Rounds to the field's resolution and clamps to its schema bounds. */
export function fit (field: FaultField, value: number): number {
  const k = 10 ** field.digits
  const v = Math.round(value * k) / k
  return v < field.min ? field.min : v > field.max ? field.max : v
}

/**
 * Applies `fn` to every value of `field` in `msg` (in place; `msg` must be a copy) and tells
 * whether any value changed. `point` is the trajectory point's index for a camera field, else -1.
 * Absent properties (a heat detector's smoke) are left alone.
 */
export function mapField (msg: Telemetry, field: FaultField, fn: (value: number, key: string, point: number) => number): boolean {
  let changed = false
  const apply = (target: Record<string, unknown>, point: number): void => {
    for (const key of field.keys) {
      const v = target[key]
      if (typeof v !== 'number') continue
      const next = fit(field, fn(v, key, point))
      if (next !== v) { target[key] = next; changed = true }
    }
  }
  if (field.perPoint === true && msg.kind === 'falling_object') msg.trajectory.forEach((p, i) => { apply(p, i) })
  else apply(msg as unknown as Record<string, unknown>, -1)
  return changed
}
