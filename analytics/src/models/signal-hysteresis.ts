import type { ModelEntry } from './model-manifest.ts'

/**
 * The verdict on one class of a device after a window: raised after enough windows, still held
 * (a raised class whose probability has not fallen below the clear threshold), or cleared.
 */
export interface ClassChange {
  classIndex: number
  change: 'raise' | 'hold' | 'clear'
  probability: number
  /** Consecutive windows at or over the threshold so far. */
  windows: number
}

const NO_CHANGES: ClassChange[] = Object.freeze([]) as unknown as ClassChange[]

/** Per-device, per-class hysteresis of one model. */
export interface SignalHysteresis {
  /**
   * Feeds one window's probabilities of a device; returns the classes raised, held or cleared by
   * it. With `event` (the window holds a real event, see event-checks.ts) the sensor-fault classes
   * (category `device_health`) neither count towards a raise nor clear: a raised one is held.
   */
  update: (deviceId: string, probabilities: ArrayLike<number>, event?: boolean) => ClassChange[]
  /** Whether a class is currently raised for a device. */
  isActive: (deviceId: string, classIndex: number) => boolean
}

/**
 * Raises a signalling class of a device once its probability is ≥ `threshold` in `raiseAfter`
 * consecutive windows, and clears it once it falls below `clearThreshold` (the manifest's
 * values). The gap between the two keeps a score hovering at the threshold from flapping. A raised
 * class is reported again with every window until it clears, so signals stay level-triggered like
 * the rules' (the alert book turns repeats into `lastSeenAt`). Classes without a category
 * (`normal`) are never raised.
 *
 * @example
 * const h = createSignalHysteresis(entry)
 * h.update('B03-F12-S01', [0.05, 0.95, 0, 0, 0, 0]) // [] until raiseAfter windows agree
 */
export function createSignalHysteresis (entry: Pick<ModelEntry, 'classes' | 'threshold' | 'clearThreshold' | 'raiseAfter'>): SignalHysteresis {
  const C = entry.classes.length
  const signalling = entry.classes.flatMap((c, i) => (c.category !== undefined ? [i] : []))
  const sensorFault = new Uint8Array(C)
  entry.classes.forEach((c, i) => { if (c.category === 'device_health') sensorFault[i] = 1 })
  const devices = new Map<string, { runs: Int32Array, active: Uint8Array }>()
  const stateOf = (id: string): { runs: Int32Array, active: Uint8Array } => {
    let s = devices.get(id)
    if (s === undefined) devices.set(id, s = { runs: new Int32Array(C), active: new Uint8Array(C) })
    return s
  }
  return {
    update (deviceId, p, event = false) {
      const s = stateOf(deviceId)
      let changes: ClassChange[] | undefined
      for (const c of signalling) {
        const v = p[c]!
        if (event && sensorFault[c] === 1) {
          s.runs[c] = 0
          if (s.active[c] === 1) (changes ??= []).push({ classIndex: c, change: 'hold', probability: v, windows: 0 })
          continue
        }
        s.runs[c] = v >= entry.threshold ? s.runs[c]! + 1 : 0
        if (s.active[c] === 0 && s.runs[c]! >= entry.raiseAfter) {
          s.active[c] = 1
          changes ??= []
          changes.push({ classIndex: c, change: 'raise', probability: v, windows: s.runs[c]! })
        } else if (s.active[c] === 1 && v < entry.clearThreshold) {
          s.active[c] = 0
          changes ??= []
          changes.push({ classIndex: c, change: 'clear', probability: v, windows: 0 })
        } else if (s.active[c] === 1) {
          changes ??= []
          changes.push({ classIndex: c, change: 'hold', probability: v, windows: s.runs[c]! })
        }
      }
      // Most windows change nothing: one shared empty answer for them.
      return changes ?? NO_CHANGES
    },
    isActive: (id, c) => devices.get(id)?.active[c] === 1
  }
}
