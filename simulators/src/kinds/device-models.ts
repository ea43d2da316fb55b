import type { DeviceKind } from '@gangwan/contracts'
import type { DeviceModel } from './device-model.ts'
import { elevatorModel } from './elevator.ts'
import { fallingObjectModel } from './falling-object.ts'
import { fireModel } from './fire.ts'
import { fumeModel } from './fume.ts'
import { noiseModel } from './noise.ts'

/** The model of each device kind, the one place that maps a kind to its behaviour. */
export const DEVICE_MODELS: { readonly [K in DeviceKind]: DeviceModel<K, any, any> } = Object.freeze({
  fire: fireModel,
  elevator: elevatorModel,
  fume: fumeModel,
  noise: noiseModel,
  falling_object: fallingObjectModel
})
