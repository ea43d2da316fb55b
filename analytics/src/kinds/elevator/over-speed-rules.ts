import type { ElevatorRule } from './elevator-rule.ts'
import { NOT_HOLDING, round } from './elevator-rule.ts'

/**
 * Over-speed (超速, platform event 3) at two levels of the lift's rated speed from the community
 * file: `overSpeedWarn` (1.2×, P2) and `overSpeedTrip` (1.4×, P1: past where the overspeed
 * governor should have set the safety gear). Each level clears `overSpeedClearMargin` under it.
 * Both may be open at once, like a high and a high-high alarm.
 */
function overSpeedRule (level: 'warn' | 'trip'): ElevatorRule {
  const trip = level === 'trip'
  return {
    info: {
      id: `elevator.over_speed_${level}`,
      version: '1',
      category: 'elevator',
      severity: trip ? 'P1' : 'P2',
      clause: `GB/T 24476-2017 real-time data; platform event 3 超速 (over-speed), level ${trip ? '1.4' : '1.2'}× rated speed`,
      title: trip ? 'Over-speed: trip level' : 'Over-speed: warning level',
      description: `Speed at or over \`${trip ? 'overSpeedTrip' : 'overSpeedWarn'}\` × the lift's \`ratedSpeedMps\`; held \`eventHoldMs\`; clears \`overSpeedClearMargin\` under that multiple.`
    },
    holdMs: (s) => s.eventHoldMs,
    judge ({ msg, settings, ratedSpeedMps, active, at }) {
      if (ratedSpeedMps === undefined) return NOT_HOLDING
      const multiple = trip ? settings.overSpeedTrip : settings.overSpeedWarn
      const ratio = msg.speedMps / ratedSpeedMps
      const holds = active ? ratio >= multiple - settings.overSpeedClearMargin : ratio >= multiple
      if (!holds) return NOT_HOLDING
      return { active: true, fromMs: at, values: { speedMps: msg.speedMps, ratedSpeedMps, ratio: round(ratio, 3), levelRatio: multiple, floor: msg.floor, direction: msg.direction } }
    }
  }
}

export const OVER_SPEED_WARN_RULE = overSpeedRule('warn')
export const OVER_SPEED_TRIP_RULE = overSpeedRule('trip')
