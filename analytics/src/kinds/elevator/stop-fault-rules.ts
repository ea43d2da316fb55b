import type { ElevatorRule } from './elevator-rule.ts'
import { NOT_HOLDING, inServiceMode, isStopped } from './elevator-rule.ts'
import { TRAPPED_AT_LANDING_RULE, TRAPPED_BETWEEN_FLOORS_RULE } from './trapped-rules.ts'

/**
 * Stopped outside the door zone (门区外停梯, platform event 6): the car stands away from any
 * landing and nobody is (yet) known trapped. Held `faultHoldMs`; once a passenger is found
 * trapped between floors, that P1 alert takes over and this one clears. Not raised in inspection or
 * maintenance mode, where a technician stops the car anywhere on purpose.
 */
export const STOP_OUTSIDE_DOOR_ZONE_RULE: ElevatorRule = {
  info: {
    id: 'elevator.stop_outside_door_zone',
    version: '1',
    category: 'elevator',
    severity: 'P2',
    clause: 'GB/T 24476-2017 real-time data; platform event 6 门区外停梯 (stopped outside door zone)',
    title: 'Car stopped outside the door zone',
    description: 'Car stopped with `inDoorZone: false` while no trapped alert is open and not in inspection/maintenance mode; held `faultHoldMs` (the alert book debounces); clears when the car moves or levels, or when a trapped alert takes over.'
  },
  holdMs: (s) => s.faultHoldMs,
  judge (f) {
    const { msg } = f
    const trapped = f.isActive(TRAPPED_AT_LANDING_RULE.info.id) || f.isActive(TRAPPED_BETWEEN_FLOORS_RULE.info.id)
    if (!isStopped(msg, f.settings) || msg.inDoorZone || trapped || inServiceMode(msg)) return NOT_HOLDING
    return { active: true, fromMs: f.stoppedSince ?? f.at, values: { floor: msg.floor, door: msg.door, passenger: msg.passenger, speedMps: msg.speedMps } }
  }
}

/**
 * The controller's own fault codes (vendor strings such as `E30`; GB/T 24476-2017 lists fault
 * codes among the real-time data). One alert per controller naming all active codes; held
 * `faultHoldMs` so a code that flickers for a report or two is dropped (DOMAIN.md §2).
 */
export const FAULT_CODE_RULE: ElevatorRule = {
  info: {
    id: 'elevator.fault_code',
    version: '1',
    category: 'elevator',
    severity: 'P3',
    clause: 'GB/T 24476-2017 real-time data (controller fault codes); hold ~5 s to drop glitches (DOMAIN.md §2)',
    title: 'Elevator controller fault',
    description: 'The controller reports one or more fault codes; held `faultHoldMs` (the alert book debounces); values list the codes; clears when none is left.'
  },
  holdMs: (s) => s.faultHoldMs,
  judge ({ msg, at }) {
    if (msg.faultCodes.length === 0) return NOT_HOLDING
    return { active: true, fromMs: at, values: { faultCodes: [...msg.faultCodes].sort().join(','), count: msg.faultCodes.length, floor: msg.floor, mode: msg.mode } }
  }
}
