import type { ElevatorFacts, ElevatorRule, TriggerValue } from './elevator-rule.ts'
import { NOT_HOLDING, inServiceMode, round } from './elevator-rule.ts'

const AT_LANDING = 'elevator.trapped_at_landing'
const BETWEEN_FLOORS = 'elevator.trapped_between_floors'

/** What explains a trapped alert: where the car stands and how long its door has been shut. */
function trappedValues ({ msg, settings, at }: ElevatorFacts, sinceMs: number): Record<string, TriggerValue> {
  return {
    floor: msg.floor,
    inDoorZone: msg.inDoorZone,
    passenger: msg.passenger,
    door: msg.door,
    closedForS: round((at - sinceMs) / 1000, 1),
    trappedAfterS: settings.trappedAfterMs / 1000
  }
}

/**
 * Trapped passenger (DOMAIN.md §2): the car has stood with its door shut for `trappedAfterMs`
 * since it stopped (or since the door last closed) and a passenger is in the car. Judged on every
 * report and on every tick, so the timer expires even when the idle controller reports only
 * every 10 s or has gone silent. Where the car stands picks the rule: levelled in a door zone is
 * "at landing" (平层关人), anywhere else "between floors" (非平层关人, harder rescue). Once raised it
 * holds until the door opens, even if the car is moved or the passenger sensor drops out: the
 * passenger is out only when the door has opened. Not raised in inspection or maintenance mode
 * (the person in the car is the technician).
 */
function trappedRule (atLanding: boolean): ElevatorRule {
  const id = atLanding ? AT_LANDING : BETWEEN_FLOORS
  const other = atLanding ? BETWEEN_FLOORS : AT_LANDING
  return {
    info: {
      id,
      version: '1',
      category: 'elevator',
      severity: 'P1',
      clause: atLanding
        ? 'GB/T 24476-2017 real-time data; platform event 7 平层关人 (trapped at landing), T = 60 s (platforms 40–90 s)'
        : 'GB/T 24476-2017 real-time data; platform event 8 非平层关人 (trapped between floors), T = 60 s (platforms 40–90 s)',
      title: atLanding ? 'Passenger trapped at landing' : 'Passenger trapped between floors',
      description: `Car stopped with the door closed for \`trappedAfterMs\` and a passenger present, ${atLanding ? 'levelled in a door zone' : 'outside any door zone'}; not raised in inspection/maintenance mode; clears when the door opens. Maintainer on site within 30 min.`
    },
    judge (f) {
      const { msg, settings } = f
      const closedSince = f.stoppedSince !== undefined && f.doorClosedSince !== undefined
        ? Math.max(f.stoppedSince, f.doorClosedSince)
        : undefined
      if (f.active) {
        if (msg.door !== 'closed') return NOT_HOLDING
        const since = f.doorClosedSince ?? f.at
        return { active: true, fromMs: since, values: trappedValues(f, since) }
      }
      if (f.isActive(other) || inServiceMode(msg) || closedSince === undefined || !msg.passenger || msg.inDoorZone !== atLanding) return NOT_HOLDING
      if (f.at - closedSince < settings.trappedAfterMs) return NOT_HOLDING
      return { active: true, fromMs: closedSince, values: trappedValues(f, closedSince) }
    }
  }
}

export const TRAPPED_AT_LANDING_RULE = trappedRule(true)
export const TRAPPED_BETWEEN_FLOORS_RULE = trappedRule(false)
