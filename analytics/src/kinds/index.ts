import type { DeviceKind } from '@gangwan/contracts'
import type { KindAnalytics } from '../core/kind-analytics.ts'
import { fireAnalytics } from './fire/index.ts'
import { elevatorAnalytics } from './elevator/index.ts'
import { fumeAnalytics } from './fume/index.ts'
import { noiseAnalytics } from './noise/index.ts'
import { fallingObjectAnalytics } from './falling-object/index.ts'

/** The analytics of any one kind. */
export type AnyKindAnalytics = { [K in DeviceKind]: KindAnalytics<K> }[DeviceKind]

/** Rules of the five kinds, one folder each (STYLE: per-kind behaviour lives with its kind). */
export const KIND_ANALYTICS: readonly AnyKindAnalytics[] = [
  fireAnalytics, elevatorAnalytics, fumeAnalytics, noiseAnalytics, fallingObjectAnalytics
]
