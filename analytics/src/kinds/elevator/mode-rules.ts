import type { ElevatorRule } from './elevator-rule.ts'
import { NOT_HOLDING } from './elevator-rule.ts'

/**
 * Fire-service mode: the fire alarm system recalled the lift or firefighters took it over
 * (GB 50116-2013 §4.7: on a confirmed fire all lifts are sent to the ground floor). An
 * independent sign of fire in the building, so it goes out as category `fire` for the command
 * centre to correlate with the building's detectors.
 */
export const FIRE_MODE_RULE: ElevatorRule = {
  info: {
    id: 'elevator.fire_mode',
    version: '1',
    category: 'fire',
    severity: 'P2',
    clause: 'GB 50116-2013 §4.7 (lift recall on fire); GB/T 24476-2017 operating-mode data item',
    title: 'Elevator in fire-service mode',
    description: 'The controller reports `mode: fire`; no hold (a mode is a deliberate state, not a glitch); clears when the mode leaves fire.'
  },
  judge: ({ msg, at }) => msg.mode === 'fire' ? { active: true, fromMs: at, values: { mode: msg.mode, floor: msg.floor } } : NOT_HOLDING
}

/**
 * Inspection or maintenance mode: the lift is out of normal service with a technician on it
 * (TSG T5002-2017 maintenance at least every 15 days). Information for the dispatcher, so that a
 * stopped car or a fault code during maintenance is read in that light.
 */
export const SERVICE_MODE_RULE: ElevatorRule = {
  info: {
    id: 'elevator.service_mode',
    version: '1',
    category: 'elevator',
    severity: 'P4',
    clause: 'TSG T5002-2017 (maintenance); GB/T 24476-2017 operating-mode data item (inspection/maintenance)',
    title: 'Elevator in inspection or maintenance mode',
    description: 'The controller reports `mode: inspection` or `maintenance`; values name which; clears back in normal (or fire) mode.'
  },
  judge: ({ msg, at }) => msg.mode === 'inspection' || msg.mode === 'maintenance' ? { active: true, fromMs: at, values: { mode: msg.mode, floor: msg.floor } } : NOT_HOLDING
}
