import type { Incident, IncidentActionType, IncidentStatus } from '@gangwan/contracts'

/**
 * The incident state machine (GB/T 30428 practice, DOMAIN.md §6; contracts/incident.ts): for each
 * action, the statuses it may be taken in and the status it leads to. Escalation and merging are
 * by the hub are not actions; neither they nor a manual `escalate` change the status.
 */
export const TRANSITIONS: Readonly<Record<IncidentActionType, { from: readonly IncidentStatus[]; to: IncidentStatus | 'unchanged' }>> = {
  // Re-dispatch to another department while nobody is on site yet.
  dispatch: { from: ['new', 'dispatched', 'accepted'], to: 'dispatched' },
  // An operator climbs the ladder now (e.g. the department cannot be reached) while work is open.
  escalate: { from: ['dispatched', 'accepted', 'handling'], to: 'unchanged' },
  accept: { from: ['dispatched'], to: 'accepted' },
  arrive: { from: ['accepted'], to: 'handling' },
  resolve: { from: ['handling'], to: 'resolved' },
  verify: { from: ['resolved'], to: 'verified' },
  // Verification failed: back to work on site (counted as rework).
  reject: { from: ['resolved'], to: 'handling' },
  close: { from: ['verified'], to: 'closed' },
  false_alarm: { from: ['new', 'dispatched', 'accepted', 'handling', 'resolved', 'verified'], to: 'false_alarm' },
  reopen: { from: ['closed', 'false_alarm'], to: 'dispatched' }
}

const ORDER: readonly IncidentActionType[] = ['dispatch', 'escalate', 'accept', 'arrive', 'resolve', 'verify', 'reject', 'close', 'false_alarm', 'reopen']

/**
 * The actions the incident's status allows, in workflow order (for the API and the console to
 * offer; roles are the caller's business).
 *
 * @example allowedActions({ ...incident, status: 'resolved' }) // ['verify', 'reject', 'false_alarm']
 */
export function allowedActions (incident: Pick<Incident, 'status'>): IncidentActionType[] {
  return ORDER.filter((a) => TRANSITIONS[a].from.includes(incident.status))
}
