import type { DeviceKind } from '@gangwan/contracts'
import type { FaultSpecInput } from '@gangwan/simulators/faults'
import type { FaultDraw, TrainClass } from './kind-config.ts'

/** How the sensor faults of one field are drawn: ranges in the field's units. */
export interface FieldFaults {
  field: string
  /** Drift rate per hour, [min, max]; `drift.up` the chance the drift is upward (absent: the field does not drift). */
  drift?: { min: number, max: number, up: number }
  spike: { min: number, max: number, probability: [number, number], direction: 'up' | 'down' | 'both' }
  /** Whether a dropout may zero the field (else messages are only lost). */
  zero: boolean
}

/** The four sensor faults. */
export type SensorFault = 'stuck' | 'drift' | 'spike' | 'dropout'

const sign = (rng: FaultDraw<DeviceKind>['rng'], up: number): number => rng.chance(up) ? 1 : -1

/**
 * The four sensor-fault classes (device_health, P4) over a weighted choice of fields. Visibility:
 * stuck and drift must change most of the window (a drift shows as a slope), one spike is enough,
 * two messages lost or zeroed.
 */
export function sensorClasses<K extends DeviceKind> (noun: string, pickField: (d: FaultDraw<K>, fault: SensorFault) => FieldFaults): TrainClass<K>[] {
  const span = (d: FaultDraw<K>): { fromMs: number, untilMs: number } => ({ fromMs: d.fromMs, untilMs: d.untilMs })
  return [
    {
      name: 'stuck',
      category: 'device_health',
      severity: 'P4',
      title: `${noun} reading stuck (anomaly model)`,
      description: 'the reading repeats one value while the quantity it measures moves',
      faults: (d) => [{ type: 'stuck', ...span(d), field: pickField(d, 'stuck').field }],
      visible: (t, w) => t >= 0.5 * w
    },
    {
      name: 'drift',
      category: 'device_health',
      severity: 'P4',
      title: `${noun} reading drifting (anomaly model)`,
      description: 'the reading runs away steadily from what the quantity does (dirt, ageing, calibration)',
      faults: (d) => {
        const f = pickField(d, 'drift')
        const r = f.drift ?? { min: 0, max: 0, up: 1 }
        return [{ type: 'drift', ...span(d), field: f.field, ratePerHour: sign(d.rng, r.up) * d.rng.between(r.min, r.max) }]
      },
      visible: (t, w) => t >= 0.8 * w
    },
    {
      name: 'spike',
      category: 'device_health',
      severity: 'P4',
      title: `${noun} reading spiking (anomaly model)`,
      description: 'isolated readings jump far off and back (loose contact, interference, insects)',
      faults: (d) => {
        const f = pickField(d, 'spike')
        const spec: FaultSpecInput = {
          type: 'spike', ...span(d), field: f.field, direction: f.spike.direction,
          magnitude: d.rng.between(f.spike.min, f.spike.max), probability: d.rng.between(...f.spike.probability)
        }
        return [spec]
      },
      visible: (t) => t >= 1
    },
    {
      name: 'dropout',
      category: 'device_health',
      severity: 'P4',
      title: `${noun} readings dropping out (anomaly model)`,
      description: 'reports go missing or read zero intermittently',
      faults: (d) => {
        const f = pickField(d, 'dropout')
        const zero = f.zero && d.rng.chance(0.5)
        return [{ type: 'dropout', ...span(d), probability: d.rng.between(0.1, 0.4), mode: zero ? 'zero' : 'lose', ...(zero ? { field: f.field } : {}) }]
      },
      visible: (t) => t >= 2
    }
  ]
}

/** Picks one of `choices` with the given weights. */
export function weighted<T> (rng: FaultDraw<DeviceKind>['rng'], choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((a, [, w]) => a + w, 0)
  let u = rng.float() * total
  for (const [v, w] of choices) { if ((u -= w) < 0) return v }
  return choices[choices.length - 1]![0]
}
