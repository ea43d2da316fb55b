import type { Incident } from '@gangwan/contracts'

/** How urgent the running SLA step is: red from `critical` (under 20 % of its time left) on. */
export type SlaLevel = 'none' | 'ok' | 'warn' | 'critical' | 'overdue'

/** Share of a step's time left under which the countdown turns red (issue 5: "under 20 %"). */
export const CRITICAL_FRACTION = 0.2
/** Share under which it turns amber, a heads-up before red. */
export const WARN_FRACTION = 0.5

/** What the SLA state is computed from. */
export type SlaInput = Pick<Incident, 'deadline' | 'dispatchedAt' | 'acceptedAt' | 'arrivedAt' | 'createdAt' | 'updatedAt' | 'tier'>

export interface SlaState {
  level: SlaLevel
  /** Milliseconds to the deadline, negative once overdue; undefined when no step runs. */
  leftMs?: number
  /** Share of the step's time still left (0–1, 0 when overdue). */
  fraction?: number
}

/**
 * When the running step's clock started: the deadline says so (`startedAt`, set by dispatch at
 * dispatch, accept, arrival, escalation and rework). For incidents stored before it carried that:
 * dispatch starts `accept`, accepting starts `arrive`, arriving starts `resolve`, and after an
 * escalation (tier > 0) the last change (`updatedAt`, at or after the escalation) stands in, which
 * can only make the countdown turn red late, never early.
 */
export function stepStartedAt (incident: SlaInput): number {
  if (incident.deadline?.startedAt !== undefined) return incident.deadline.startedAt
  const step = incident.deadline?.step
  const at = step === 'accept' ? incident.dispatchedAt : step === 'arrive' ? incident.acceptedAt : step === 'resolve' ? incident.arrivedAt : undefined
  const start = at ?? incident.createdAt
  return (incident.deadline?.tier ?? incident.tier) > 0 ? Math.max(start, incident.updatedAt) : start
}

/**
 * The SLA state of an incident at `now` (epoch ms).
 *
 * @example slaState({ ...incident, deadline: { step: 'accept', dueAt: 1000, tier: 0 }, dispatchedAt: 0 }, 900) // { level: 'critical', leftMs: 100, fraction: 0.1 }
 */
export function slaState (incident: SlaInput, now: number): SlaState {
  const deadline = incident.deadline
  if (deadline === undefined) return { level: 'none' }
  const leftMs = deadline.dueAt - now
  if (leftMs < 0) return { level: 'overdue', leftMs, fraction: 0 }
  const total = deadline.dueAt - stepStartedAt(incident)
  const fraction = total > 0 ? Math.min(1, leftMs / total) : 0
  const level: SlaLevel = fraction < CRITICAL_FRACTION ? 'critical' : fraction < WARN_FRACTION ? 'warn' : 'ok'
  return { level, leftMs, fraction }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * A countdown as the wall shows it: `MM:SS` under an hour, `H:MM:SS` under a day, `Nd HH:MM`
 * beyond (with `dayUnit` for the `d`); a leading `-` once overdue. Seconds round toward zero.
 *
 * @example formatCountdown(-65_000) // '-01:05'
 * @example formatCountdown(3 * 86_400_000 + 7_200_000, '天') // '3天 02:00'
 */
export function formatCountdown (ms: number, dayUnit = 'd'): string {
  const sign = ms < 0 ? '-' : ''
  const totalS = Math.floor(Math.abs(ms) / 1000)
  const s = totalS % 60
  const m = Math.floor(totalS / 60) % 60
  const h = Math.floor(totalS / 3600) % 24
  const d = Math.floor(totalS / 86_400)
  if (d > 0) return `${sign}${d}${dayUnit} ${pad(h)}:${pad(m)}`
  if (h > 0) return `${sign}${h}:${pad(m)}:${pad(s)}`
  return `${sign}${pad(m)}:${pad(s)}`
}

/**
 * A duration in seconds for the statistics (mean times): `45 s`, `12.5 min`, `3.2 h`, `2.1 d`,
 * with units given by the caller's language.
 */
export function formatSeconds (s: number | null | undefined, units: { s: string, min: string, h: string, d: string }): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—'
  if (s < 60) return `${Math.round(s)} ${units.s}`
  if (s < 3600) return `${(s / 60).toFixed(1)} ${units.min}`
  if (s < 86_400) return `${(s / 3600).toFixed(1)} ${units.h}`
  return `${(s / 86_400).toFixed(1)} ${units.d}`
}
