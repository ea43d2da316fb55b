import type { DeviceKind } from '@gangwan/contracts'
import type { KindLine } from './kind-line.ts'
import { fireLine } from './fire.ts'
import { elevatorLine } from './elevator.ts'
import { fumeLine } from './fume.ts'
import { noiseLine } from './noise.ts'
import { fallingObjectLine } from './falling-object.ts'

/** The InfluxDB mapping of every device kind; the measurement is the kind's name. */
export const KIND_LINES: { readonly [K in DeviceKind]: KindLine<K> } = {
  fire: fireLine,
  elevator: elevatorLine,
  fume: fumeLine,
  noise: noiseLine,
  falling_object: fallingObjectLine
}
