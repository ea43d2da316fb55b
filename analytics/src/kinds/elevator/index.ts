import type { KindAnalytics } from '../../core/kind-analytics.ts'
import { createElevatorAnalyzer, ELEVATOR_RULES } from './create-elevator-analyzer.ts'

export { createElevatorAnalyzer, ELEVATOR_RULES } from './create-elevator-analyzer.ts'

/**
 * Elevators (DOMAIN.md §2, GB/T 24476-2017 data and platform event types): trapped passenger at
 * a landing or between floors (P1, timer on measurement time), door opened while running and
 * moving with the door open (P1), over-speed warning and trip (P2/P1), stopped outside the door
 * zone (P2), controller fault codes (P3), fire-service mode (P2, category fire) and inspection
 * or maintenance mode (P4). Every threshold is `settings.elevator`; faults carry `holdMs`
 * (`faultHoldMs`, `eventHoldMs`) and the alert book debounces them. No correlator: each lift
 * stands alone.
 *
 * @example
 * const analyzer = elevatorAnalytics.forDevice(ctx.device('E-B01-1-C') as DeviceContext<'elevator'>)
 * analyzer.observe(msg); analyzer.tick?.(watermark)
 */
export const elevatorAnalytics: KindAnalytics<'elevator'> = {
  kind: 'elevator',
  rules: ELEVATOR_RULES.map((r) => r.info),
  forDevice: (ctx) => createElevatorAnalyzer(ctx)
}
