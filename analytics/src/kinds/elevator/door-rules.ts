import type { ElevatorFacts, ElevatorRule, Finding } from './elevator-rule.ts'
import { NOT_HOLDING, isRunning } from './elevator-rule.ts'

/** Running with the door not closed, if that spell began the way `start` says. */
function judgeDoorRun (f: ElevatorFacts, start: 'while_running' | 'from_stop'): Finding {
  const { msg } = f
  if (!isRunning(msg, f.settings) || msg.door === 'closed' || f.doorRun?.start !== start) return NOT_HOLDING
  return {
    active: true,
    fromMs: f.doorRun.since,
    values: { speedMps: msg.speedMps, direction: msg.direction, door: msg.door, floor: msg.floor, inDoorZone: msg.inDoorZone, passenger: msg.passenger }
  }
}

/**
 * Door opened while running (运行中开门, platform event 4): the car was moving with its door
 * closed and the door came open (door-lock or safety-circuit failure). Held for `eventHoldMs`
 * (0 by default: the safety circuit stops the car within a second, so a longer hold would drop
 * the real events). P1: a moving car with an open door shears whoever steps through.
 */
export const DOOR_OPEN_WHILE_RUNNING_RULE: ElevatorRule = {
  info: {
    id: 'elevator.door_open_while_running',
    version: '1',
    category: 'elevator',
    severity: 'P1',
    clause: 'GB/T 24476-2017 real-time data; platform event 4 运行中开门 (door opened while running)',
    title: 'Door opened while the car was running',
    description: 'Speed over `stoppedSpeedMps` with the door not closed, the door having come open during the run; held `eventHoldMs`; clears when the door closes or the car stops.'
  },
  holdMs: (s) => s.eventHoldMs,
  judge: (f) => judgeDoorRun(f, 'while_running')
}

/**
 * Moving with the door open (开门走车, platform event 5): the car left a landing before its door had
 * closed (brake or door-lock bypass). Same hold and severity as event 4.
 */
export const MOVING_WITH_DOOR_OPEN_RULE: ElevatorRule = {
  info: {
    id: 'elevator.moving_with_door_open',
    version: '1',
    category: 'elevator',
    severity: 'P1',
    clause: 'GB/T 24476-2017 real-time data; platform event 5 开门走车 (moving with door open)',
    title: 'Car moved away with the door open',
    description: 'Speed over `stoppedSpeedMps` with the door not closed, the car having started from a stop with the door not yet closed; held `eventHoldMs`; clears when the door closes or the car stops.'
  },
  holdMs: (s) => s.eventHoldMs,
  judge: (f) => judgeDoorRun(f, 'from_stop')
}
