import type { Alert, ElevatorSettings, ElevatorTelemetry } from '@gangwan/contracts'
import type { DeviceContext } from '../../core/context.ts'
import type { RuleInfo } from '../../core/rule-info.ts'
import type { Signal } from '../../core/signal.ts'

/** A scalar that explains an alert (what `trigger.values` holds). */
export type TriggerValue = Alert['trigger']['values'][string]

/**
 * What an elevator rule sees: the latest report and what the analyzer derived from the reports
 * before it, judged at `at` (the report's time, or the measurement clock on a tick: the latest
 * report is taken to stand until the next one). The analyzer reuses one facts object for all its
 * judgements, so a rule must not keep it.
 */
export interface ElevatorFacts {
  at: number
  msg: ElevatorTelemetry
  settings: ElevatorSettings
  /** Rated speed of the lift (community file), m/s; undefined if the lift is not listed. */
  ratedSpeedMps: number | undefined
  /** Since when the car has been standing (see {@link isStopped}); undefined while it runs. */
  stoppedSince: number | undefined
  /** Since when the door has been closed; undefined while it is not. */
  doorClosedSince: number | undefined
  /**
   * How the current spell of running with the door not closed began: the door came open during a
   * run (`while_running`), or the car left a landing before its door had closed (`from_stop`).
   */
  doorRun: { start: 'while_running' | 'from_stop', since: number } | undefined
  /** This rule's verdict so far, for hysteresis. */
  active: boolean
  /** Another rule's verdict so far (rules earlier in the list have already judged this report). */
  isActive: (ruleId: string) => boolean
}

/** A rule's verdict: clear, or holding with the values and the window that explain it. */
export type Finding =
  | { active: false }
  | { active: true, values: Record<string, TriggerValue>, fromMs: number }

/** The verdict "not holding", shared: most reports judge most rules clear, and need not allocate to say so. */
export const NOT_HOLDING: Finding = Object.freeze({ active: false })

/**
 * One elevator rule. `holdMs` is how long the condition must hold before the alert opens: it is
 * put on the signal and the alert book debounces (it keeps the pending condition and opens it on
 * its own tick when no further report arrives), so rules stay plain verdicts.
 */
export interface ElevatorRule {
  info: RuleInfo
  holdMs?: (s: ElevatorSettings) => number
  judge: (facts: ElevatorFacts) => Finding
}

/** The car stands: reported as `stop` and no faster than `stoppedSpeedMps` (encoder noise). */
export function isStopped (msg: ElevatorTelemetry, s: ElevatorSettings): boolean {
  return msg.direction === 'stop' && msg.speedMps <= s.stoppedSpeedMps
}

/** The car moves, whatever direction the controller reports. */
export function isRunning (msg: ElevatorTelemetry, s: ElevatorSettings): boolean {
  return msg.speedMps > s.stoppedSpeedMps
}

/**
 * A technician has the lift (inspection or maintenance mode, TSG T5002-2017): standing with the
 * door shut or between floors is then the work, not a trapped passenger or a fault.
 */
export function inServiceMode (msg: ElevatorTelemetry): boolean {
  return msg.mode === 'inspection' || msg.mode === 'maintenance'
}

/**
 * The signal of a holding finding: subject and device are the controller, location its building
 * and lift plus the floor the car is at.
 *
 * @example elevatorSignal(FAULT_CODE_RULE, ctx, msg.ts, finding) // holdMs: settings.faultHoldMs
 */
export function elevatorSignal (rule: ElevatorRule, ctx: DeviceContext<'elevator'>, facts: ElevatorFacts, f: Extract<Finding, { active: true }>): Signal {
  const { info } = rule
  const holdMs = rule.holdMs?.(facts.settings) ?? 0
  return {
    active: true,
    at: facts.at,
    ...(holdMs > 0 ? { holdMs } : {}),
    ruleId: info.id,
    subject: ctx.device.id,
    device: ctx.device.id,
    kind: 'elevator',
    category: info.category,
    severity: info.severity,
    title: info.title,
    source: { type: 'rule', id: info.id, version: info.version, clause: info.clause },
    trigger: { values: f.values, window: { fromMs: Math.min(f.fromMs, facts.at), toMs: facts.at } },
    location: { ...ctx.location, floor: facts.msg.floor }
  }
}

/** Rounds for display in alert values (keeps explanations readable, not for arithmetic). */
export function round (x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
