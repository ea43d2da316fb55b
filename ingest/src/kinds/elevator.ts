import { stringField } from '../line/line-protocol.ts'
import type { KindLine } from './kind-line.ts'

/**
 * `elevator`: GB/T 24476 real-time items. Enum values (direction, door, mode) need no escaping;
 * `faultCodes` is one comma-joined string field ('' when none) so the field set stays fixed.
 */
export const elevatorLine: KindLine<'elevator'> = {
  fields (m) {
    return 'seq=' + m.seq + 'i,floor=' + m.floor + 'i,direction="' + m.direction + '",speedMps=' + m.speedMps +
      ',door="' + m.door + '",inDoorZone=' + m.inDoorZone + ',passenger=' + m.passenger + ',mode="' + m.mode +
      '",faultCodes=' + stringField(m.faultCodes.join(','))
  }
}
