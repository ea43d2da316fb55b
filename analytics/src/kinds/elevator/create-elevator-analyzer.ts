import type { ElevatorTelemetry } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'
import type { DeviceAnalyzer } from '../../core/kind-analytics.ts'
import type { Signal } from '../../core/signal.ts'
import { NO_SIGNALS } from '../../core/no-signals.ts'
import type { ElevatorFacts, ElevatorRule } from './elevator-rule.ts'
import { elevatorSignal, isRunning, isStopped } from './elevator-rule.ts'
import { DOOR_OPEN_WHILE_RUNNING_RULE, MOVING_WITH_DOOR_OPEN_RULE } from './door-rules.ts'
import { FIRE_MODE_RULE, SERVICE_MODE_RULE } from './mode-rules.ts'
import { OVER_SPEED_TRIP_RULE, OVER_SPEED_WARN_RULE } from './over-speed-rules.ts'
import { FAULT_CODE_RULE, STOP_OUTSIDE_DOOR_ZONE_RULE } from './stop-fault-rules.ts'
import { TRAPPED_AT_LANDING_RULE, TRAPPED_BETWEEN_FLOORS_RULE } from './trapped-rules.ts'

/** The controller rules in judging order: trapped first, since "stopped outside door zone" defers to it. */
export const ELEVATOR_RULES: readonly ElevatorRule[] = [
  TRAPPED_AT_LANDING_RULE, TRAPPED_BETWEEN_FLOORS_RULE, STOP_OUTSIDE_DOOR_ZONE_RULE,
  DOOR_OPEN_WHILE_RUNNING_RULE, MOVING_WITH_DOOR_OPEN_RULE, OVER_SPEED_WARN_RULE, OVER_SPEED_TRIP_RULE,
  FAULT_CODE_RULE, FIRE_MODE_RULE, SERVICE_MODE_RULE
]

/**
 * The rules of one elevator controller. On each report every rule is judged and reports
 * `active` (again, while it holds: the alert book turns repeats into `lastSeenAt`) or, once,
 * `active: false` when it clears; a rule's first verdict is always reported, so an alert left
 * open before a restart closes if its condition went away meanwhile.
 *
 * `tick(nowMs)` judges the rules again on the measurement clock with the latest report taken to
 * stand (controllers report every 1 s while moving, every 10 s idle, nothing when the power is
 * cut), and reports only changes: that is how the trapped-passenger timer expires between reports.
 * Faults carry `holdMs` and the alert book debounces them. Reports older than the newest one seen
 * are ignored.
 *
 * @example
 * const a = createElevatorAnalyzer(ctx.device('E-B01-1-C') as DeviceContext<'elevator'>)
 * a.observe(msg) // stopped, door closed, passenger: [] of interest until…
 * a.tick(msg.ts + 60_000) // [{ active: true, ruleId: 'elevator.trapped_at_landing', severity: 'P1', ... }]
 */
export function createElevatorAnalyzer (ctx: DeviceContext<'elevator'>, rules: readonly ElevatorRule[] = ELEVATOR_RULES): DeviceAnalyzer<'elevator'> {
  const settings = ctx.settings.elevator
  const ratedSpeedMps = ctx.community.elevators.find((e) => e.id === ctx.device.elevator)?.ratedSpeedMps
  const verdicts = new Map<string, boolean>()
  let last: ElevatorTelemetry | undefined
  /** `last.ts` as a number: comparing against it does not touch a message long out of cache. */
  let lastTs = -Infinity
  let stoppedSince: number | undefined
  let doorClosedSince: number | undefined
  let doorRun: ElevatorFacts['doorRun']

  function update (msg: ElevatorTelemetry): void {
    stoppedSince = isStopped(msg, settings) ? (stoppedSince ?? msg.ts) : undefined
    doorClosedSince = msg.door === 'closed' ? (doorClosedSince ?? msg.ts) : undefined
    if (!isRunning(msg, settings) || msg.door === 'closed') doorRun = undefined
    else if (doorRun === undefined) {
      // Left a landing whose door had not closed, or the door came open on the way.
      const fromStop = last !== undefined && isStopped(last, settings) && last.door !== 'closed'
      doorRun = { start: fromStop ? 'from_stop' : 'while_running', since: msg.ts }
    }
    last = msg
    lastTs = msg.ts
  }

  const isActive = (id: string): boolean => verdicts.get(id) === true
  // One facts object for every judgement (rules do not keep it): no object per rule and report.
  const facts: ElevatorFacts = {
    at: 0, msg: undefined as unknown as ElevatorTelemetry, settings, ratedSpeedMps, stoppedSince, doorClosedSince, doorRun, active: false, isActive
  }

  /** Judges every rule at `at`; on a tick only changes are reported. */
  function judge (msg: ElevatorTelemetry, at: number, onTick: boolean): Signal[] {
    let out: Signal[] | undefined
    facts.at = at
    facts.msg = msg
    facts.stoppedSince = stoppedSince
    facts.doorClosedSince = doorClosedSince
    facts.doorRun = doorRun
    for (const rule of rules) {
      const id = rule.info.id
      const before = verdicts.get(id)
      facts.active = before === true
      const f = rule.judge(facts)
      verdicts.set(id, f.active)
      if (f.active ? onTick && before === true : before === false) continue
      out ??= []
      out.push(f.active ? elevatorSignal(rule, ctx, facts, f) : { active: false, at, ruleId: id, subject: ctx.device.id })
    }
    return out ?? NO_SIGNALS
  }

  return {
    observe (msg) {
      if (last !== undefined && msg.ts < lastTs) return NO_SIGNALS
      update(msg)
      return judge(msg, msg.ts, false)
    },
    tick (nowMs) {
      if (last === undefined || nowMs <= lastTs) return NO_SIGNALS
      return judge(last, nowMs, true)
    }
  }
}
