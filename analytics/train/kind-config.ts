import type { DeviceKind } from '@gangwan/contracts'
import type { FaultedMessage, FaultSpecInput } from '@gangwan/simulators/faults'
import type { DeviceOf, ModelOptionsOverride, Rng } from '@gangwan/simulators'
import type { ModelClass } from '../src/models/model-manifest.ts'

/** What a class's fault generator gets: the segment it acts in and the device. */
export interface FaultDraw<K extends DeviceKind> {
  rng: Rng
  fromMs: number
  untilMs: number
  device: DeviceOf<K>
}

/** One output class of a kind's model, with how training produces and labels it. */
export interface TrainClass<K extends DeviceKind> extends ModelClass {
  /** Faults that produce this class, drawn once per (device, segment); absent for a fault-free class. */
  faults?: (d: FaultDraw<K>) => FaultSpecInput[]
  /**
   * Whether a window shows the fault: `touched` of its `w` messages were changed by it, and a ramp
   * (smoulder, wear) had reached `progress` 0–1 at the window's last message. Windows with some
   * but too little of the fault are left out of training; windows it never touched count as normal.
   */
  visible?: (touched: number, w: number, progress: number) => boolean
}

/** How much simulated data to make. Training uses the full size, tests a tiny one. */
export interface DataSize {
  /** Devices of the kind to simulate (the first quarter, after a seeded shuffle, is held out). */
  devices: number
  /** Segments per device; each gets one class (faults start in its first 30 %, end with it). */
  segments: number
  segmentMs: number
  /** Training windows kept per class (seeded subsample), so classes weigh alike. */
  perClassCap: number
  /** Held-out windows kept per class. */
  heldOutCap: number
}

/** The dense net and its optimiser. */
export interface NetConfig {
  hidden: number
  epochs: number
  batchSize: number
  learningRate: number
}

/** Everything training knows about one kind. */
export interface KindConfig<K extends DeviceKind> {
  kind: K
  modelId: string
  title: string
  /** Class 0 is the fault-free class: it never raises a signal. */
  classes: readonly TrainClass<K>[]
  /** Devices of the kind the model is for (fire: not manual call points). */
  eligible: (d: DeviceOf<K>) => boolean
  /** Model parameters for the simulation (cameras: many more tracks per week, to have data). */
  modelOptions?: ModelOptionsOverride
  /**
   * Labels a window when the class is not just "the fault of the segment, if visible" (cameras:
   * physical vs non-physical tracks come from the simulator, glitches from the faults).
   */
  label?: (win: readonly FaultedMessage<K>[], segmentClass: number) => number | null
  /**
   * Ordinary conditions the model must learn as fault-free besides the simulator model's own, e.g.
   * the scenarios' compliant noise background: `injection` gives a device an injection of its
   * kind's model for the whole run (`fromMs` is set to the start) or none; `description` goes into
   * the model card.
   */
  background?: { description: string, injection: (device: DeviceOf<K>, rng: Rng) => Record<string, unknown> | undefined }
  size: DataSize
  net: NetConfig
  /** Signal hysteresis written to the manifest. */
  threshold: number
  clearThreshold: number
  raiseAfter: number
}
