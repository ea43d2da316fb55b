import { join } from 'node:path'
import type { Logger } from 'pino'
import { Gauge, type Registry } from 'prom-client'
import { INCIDENT_STATUSES, type Community } from '@gangwan/contracts'
import {
  createAlertQueue, createDispatch, createPostgresAlertQueue, createPostgresIncidentStore, createSqliteIncidentStore,
  type AlertQueue, type Dispatch, type DispatchCounters, type IncidentStore
} from '@gangwan/dispatch'

/** The hub's incident workflow: its stores and the running service. */
export interface DispatchHost {
  dispatch: Dispatch & { counters: DispatchCounters }
  queue: AlertQueue
  store: IncidentStore
  /** Where the queue and incidents live: the SQLite file, or `postgresql` (no credentials shown). */
  location: string
  stop: () => Promise<void>
}

/**
 * Opens the dispatch stores (SQLite `<dataDir>/dispatch.db`, which analytics also writes, or the
 * PostgreSQL server several hub nodes share), checks they answer (a bad PostgreSQL URL fails
 * start-up here), starts the service and exports its counters as `gangwan_dispatch_*` metrics.
 */
export async function startDispatchHost (opts: { community: Community; dataDir: string; pgUrl: string | undefined; log: Logger; metrics: Registry }): Promise<DispatchHost> {
  const { log, pgUrl } = opts
  const dbPath = join(opts.dataDir, 'dispatch.db')
  const queue = pgUrl !== undefined ? createPostgresAlertQueue({ connectionString: pgUrl, log }) : createAlertQueue({ path: dbPath, log })
  const store = pgUrl !== undefined ? createPostgresIncidentStore({ connectionString: pgUrl, log }) : createSqliteIncidentStore({ path: dbPath, log })
  try {
    await queue.stats()
    await store.stats()
  } catch (err) {
    await store.close()
    await queue.close()
    throw err
  }
  const dispatch = createDispatch({ queue, store, community: opts.community, log })
  await dispatch.start()
  registerDispatchMetrics(opts.metrics, dispatch.counters, store)
  return {
    dispatch, queue, store,
    location: pgUrl !== undefined ? 'postgresql' : dbPath,
    async stop () {
      await dispatch.stop()
      await store.close()
      await queue.close()
    }
  }
}

/** `gangwan_dispatch_*`: what the service did since start, and the store's incidents by status. */
function registerDispatchMetrics (metrics: Registry, c: DispatchCounters, store: IncidentStore): void {
  const counter = (name: string, help: string, read: () => number): void => {
    // A gauge read at scrape time: the counters live in the service, not in prom-client.
    const g = new Gauge({ name, help, registers: [metrics], collect () { g.set(read()) } })
  }
  counter('gangwan_dispatch_incidents_created_total', 'Incidents opened from alerts', () => c.created)
  counter('gangwan_dispatch_alerts_merged_total', 'Alerts merged into an open incident', () => c.merged)
  counter('gangwan_dispatch_auto_dispatched_total', 'Incidents dispatched by routing', () => c.dispatched)
  counter('gangwan_dispatch_unrouted_total', 'Incidents no routing rule could place', () => c.unrouted)
  counter('gangwan_dispatch_escalations_total', 'SLA escalations', () => c.escalations)
  counter('gangwan_dispatch_errors_total', 'Failed intake, escalation or stream rounds (retried)', () => c.errors)
  const actions = new Gauge({
    name: 'gangwan_dispatch_actions_total', help: 'Actions on incidents by type', labelNames: ['action'], registers: [metrics],
    collect () { for (const [action, n] of Object.entries(c.actions)) actions.set({ action }, n) }
  })
  const incidents = new Gauge({
    name: 'gangwan_dispatch_incidents', help: 'Incidents in the store by status', labelNames: ['status'], registers: [metrics],
    async collect () {
      const s = await store.stats()
      for (const status of INCIDENT_STATUSES) incidents.set({ status }, s.byStatus[status])
      overdue.set(s.overdue)
    }
  })
  const overdue = new Gauge({ name: 'gangwan_dispatch_overdue', help: 'Open incidents past their deadline', registers: [metrics] })
}
