import type { Incident, IncidentActionType } from '@gangwan/contracts'
import { allowedActions } from '@gangwan/dispatch'
import { actionsFor, type Principal } from '../auth/permissions.ts'

/**
 * Actions the caller may take on the incident now: those the lifecycle allows in its status
 * (dispatch's `allowedActions`, the state machine's one table) that the caller's role allows on
 * it (the permissions table), in workflow order.
 *
 * @example allowedActionsFor(handler, { ...incident, status: 'dispatched' }) // ['accept', 'false_alarm']
 */
export function allowedActionsFor (p: Principal, incident: Incident): IncidentActionType[] {
  const mine = new Set(actionsFor(p, incident))
  return allowedActions(incident).filter((a) => mine.has(a))
}
