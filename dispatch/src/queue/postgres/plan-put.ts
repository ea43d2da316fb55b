import type { Alert } from '@gangwan/contracts'
import type { AlertChangeType } from '../alert-queue.ts'
import { changeType } from '../change-type.ts'

/** What the store holds for one key, as far as a put's decisions need it. */
export interface StoredAlertState { key: string, ruleId: string, subject: string, state: Alert['state'], version: number }

/** What one put does, in the order the alerts were given. */
export interface PutPlan {
  /** Alerts to store, each with the change it appends to the log. */
  writes: Array<{ alert: Alert, type: AlertChangeType }>
  /** Open alerts refused because another key holds the open episode of their (ruleId, subject). */
  refusals: Array<{ alert: Alert, openKey: string }>
  /** Alerts whose key already holds the same or a newer version. */
  unchanged: number
}

const pairOf = (ruleId: string, subject: string): string => JSON.stringify([ruleId, subject])

/**
 * Decides one put the way the SQLite queue's statement-by-statement loop does, from the rows the
 * put's keys and (ruleId, subject) pairs hold before it: a key keeps its highest version; an open
 * alert whose pair is open under another key is refused (the first episode wins, also within the
 * put); every stored version is one change typed by {@link changeType}. Pure: the caller reads
 * `rows` under the queue's lock, so nothing changes between the plan and its writes.
 *
 * @example
 * planPut([a, next(a)], []).writes.map((w) => w.type) // ['opened', 'updated']
 */
export function planPut (alerts: readonly Alert[], rows: readonly StoredAlertState[]): PutPlan {
  const byKey = new Map(rows.map((r) => [r.key, r]))
  const openByPair = new Map(rows.filter((r) => r.state === 'open').map((r) => [pairOf(r.ruleId, r.subject), r.key]))
  const plan: PutPlan = { writes: [], refusals: [], unchanged: 0 }
  for (const alert of alerts) {
    const prev = byKey.get(alert.key)
    if (prev !== undefined && prev.version >= alert.version) { plan.unchanged++; continue }
    const pair = pairOf(alert.ruleId, alert.subject)
    const openKey = openByPair.get(pair)
    if (alert.state === 'open' && openKey !== undefined && openKey !== alert.key) {
      plan.refusals.push({ alert, openKey })
      continue
    }
    if (prev?.state === 'open' && openByPair.get(pairOf(prev.ruleId, prev.subject)) === alert.key) {
      openByPair.delete(pairOf(prev.ruleId, prev.subject))
    }
    if (alert.state === 'open') openByPair.set(pair, alert.key)
    byKey.set(alert.key, { key: alert.key, ruleId: alert.ruleId, subject: alert.subject, state: alert.state, version: alert.version })
    plan.writes.push({ alert, type: changeType(prev?.state, alert.state) })
  }
  return plan
}
