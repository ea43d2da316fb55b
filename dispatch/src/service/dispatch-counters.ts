/** Running totals of one dispatch service, exported by the hub as `gangwan_dispatch_*` metrics. */
export interface DispatchCounters {
  /** Incidents opened from alerts. */
  created: number
  /** Alerts merged into an existing incident. */
  merged: number
  /** Incidents dispatched automatically by routing. */
  dispatched: number
  /** Incidents no routing rule could give a department (they wait in `new`). */
  unrouted: number
  /** Escalations by the SLA timer (a repeat at the top tier counts too). */
  escalations: number
  /** People's actions that succeeded, by type. */
  actions: Record<string, number>
  /** Failed intake, escalation or stream rounds (retried). */
  errors: number
}

/** Zeroed {@link DispatchCounters}. */
export function createDispatchCounters (): DispatchCounters {
  return { created: 0, merged: 0, dispatched: 0, unrouted: 0, escalations: 0, actions: {}, errors: 0 }
}
