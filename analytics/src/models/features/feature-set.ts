import type { DeviceKind, TelemetryOf } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'

/** What a feature set needs to know of a device: its inventory entry, the community and the site settings. */
export type FeatureDevice<K extends DeviceKind> = Pick<DeviceContext<K>, 'device' | 'community' | 'settings'>

/** One documented feature: its name and what it measures (printed in the model cards and docs/models.md). */
export interface FeatureInfo {
  name: string
  description: string
}

/**
 * How one kind's telemetry becomes a model input: the last `window` messages of a device, every
 * `stride` messages, turn into a fixed-length Float32 vector of `features.length` values. The same
 * code runs in training (analytics/train) and at inference (create-anomaly-stage), so the two
 * cannot disagree. `id` names the feature list and changes whenever a feature does; a model's
 * manifest entry names the `id` it was trained on.
 *
 * @example
 * const p = fireFeatures.prepare(device)
 * if (p !== null) model.run(fireFeatures.extract(lastThirtyMessages, p))
 */
export interface FeatureSet<K extends DeviceKind, P = unknown> {
  id: string
  kind: K
  features: readonly FeatureInfo[]
  /** Messages per window and messages between two windows, unless the manifest says otherwise. */
  window: number
  stride: number
  /** Looks up once what the features of a device need; null when the model cannot judge it (a manual call point). */
  prepare: (dev: FeatureDevice<K>) => P | null
  /** The feature vector of a window of messages in measurement-time order. */
  extract: (msgs: readonly TelemetryOf<K>[], prepared: P) => Float32Array
}

/** Builds the {@link FeatureInfo} list from [name, description] pairs. */
export function featureList (...groups: readonly (readonly (readonly [string, string])[])[]): FeatureInfo[] {
  return groups.flat().map(([name, description]) => ({ name, description }))
}
