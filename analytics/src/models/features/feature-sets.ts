import type { DeviceKind } from '@gangwan/contracts'
import { elevatorFeatures } from './elevator.ts'
import { fallingObjectFeatures } from './falling-object.ts'
import type { FeatureSet } from './feature-set.ts'
import { fireFeatures } from './fire.ts'
import { fumeFeatures } from './fume.ts'
import { noiseFeatures } from './noise.ts'

/** The feature set of each kind: the one place that maps a kind to its model input. */
export const FEATURE_SETS: { readonly [K in DeviceKind]: FeatureSet<K, any> } = Object.freeze({
  fire: fireFeatures,
  elevator: elevatorFeatures,
  fume: fumeFeatures,
  noise: noiseFeatures,
  falling_object: fallingObjectFeatures
})
