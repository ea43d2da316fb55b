import type { Logger } from 'pino'
import { GangwanError, type Actor, type Alert, type Community, type Incident } from '@gangwan/contracts'
import type { AlertQueue } from '../queue/alert-queue.ts'
import type { IncidentStore } from '../incidents/incident-store.ts'
import { applyAction, computeMetrics, escalate, lookupKeys, pickHandler, planAlert, routeIncident, type Route } from '../domain/index.ts'
import type { Dispatch, IncidentEvent } from './dispatch.ts'
import { createDispatchCounters, type DispatchCounters } from './dispatch-counters.ts'

/** Options of {@link createDispatch}. */
export interface DispatchOptions {
  queue: AlertQueue
  store: IncidentStore
  community: Community
  log: Logger
  /** Hub wall clock, epoch ms; default `Date.now`. */
  now?: () => number
  /** How often the alert queue and the store's change log are polled, ms (default 100). */
  pollMs?: number
  /** How often deadlines are checked, ms (default 1000): the most an escalation is late. */
  tickMs?: number
  /** The alert queue consumer name; one per dispatch node sharing a queue is not supported (default `incidents`). */
  consumer?: string
}

const SYSTEM: Actor = { type: 'system', id: 'dispatch' }
const BATCH = 200
/** Thrown inside a store update when another node already did the change: rolls back, then ignored. */
class NothingToDo extends Error {}

/**
 * The incident workflow service ({@link Dispatch}): a loop turns alert-queue changes into incident
 * changes (merge, route, auto-dispatch) and acks them only once stored, so a crash replays them
 * (idempotent: a linked alert version is never applied twice); a timer escalates due deadlines,
 * which live in the store, so a restart escalates on time; people act through `act`. The live
 * stream polls the store's audit log, so changes made by other nodes on a shared store arrive too.
 *
 * @example
 * const dispatch = createDispatch({ queue, store, community, log })
 * await dispatch.start()
 * dispatch.subscribe(({ entry, incident }) => log.info({ id: incident.id, event: entry.event }))
 */
export function createDispatch (opts: DispatchOptions): Dispatch & { counters: DispatchCounters } {
  const { queue, store, community } = opts
  const log = opts.log.child({ component: 'dispatch' })
  const now = opts.now ?? Date.now
  const consumer = opts.consumer ?? 'incidents'
  const settings = community.dispatch
  const departments = new Map(community.departments.map((d) => [d.id, d]))
  const counters = createDispatchCounters()
  const listeners = new Set<(event: IncidentEvent) => void>()
  let lastSeq = 0
  let running = false
  let timers: NodeJS.Timeout[] = []
  /** One pump, tick or stream poll at a time per kind; `stop` waits for them. */
  let pumping: Promise<number> | undefined
  let ticking: Promise<number> | undefined
  let polling: Promise<void> | undefined

  async function routeOf (incident: Incident): Promise<Route | undefined> {
    const linked = await store.alerts(incident.id)
    return routeIncident(incident, linked.map((l) => l.alert.ruleId), community)
  }

  /** Dispatches a `new` incident to its routed department when the route says so. */
  async function autoDispatch (incident: Incident): Promise<void> {
    const route = await routeOf(incident)
    if (route === undefined || route.department === undefined) {
      counters.unrouted++
      log.warn({ incidentId: incident.id, category: incident.category, grid: incident.location.grid }, 'no department matches the incident: it waits for a dispatcher')
      return
    }
    if (!route.autoDispatch) return
    const department = departments.get(route.department)
    const handler = department === undefined ? undefined : pickHandler(department, await store.openByHandler(department.id))
    try {
      await store.update(incident.id, (i) => {
        if (i.status !== 'new') throw new NothingToDo()
        return applyAction(i, { type: 'dispatch' }, SYSTEM, now(), { community, route, handler })
      })
      counters.dispatched++
      if (route.notify.length > 0) log.info({ incidentId: incident.id, notify: route.notify }, 'departments notified')
    } catch (err) {
      if (!(err instanceof NothingToDo)) throw err
    }
  }

  async function applyOne (alert: Alert): Promise<void> {
    const at = now()
    const stored = await store.applyAlert(alert, lookupKeys(alert, settings), (ctx) => planAlert(alert, ctx, { settings, now: at }))
    if (stored === undefined) return
    const event = stored.audit[0]?.event
    if (event === 'created') {
      counters.created++
      log.info({ incidentId: stored.incident.id, category: stored.incident.category, severity: stored.incident.severity, alertKey: alert.key }, 'incident opened')
      await autoDispatch(stored.incident)
    } else if (event === 'alert_merged') {
      counters.merged++
    }
    wake()
  }

  async function pumpOnce (): Promise<number> {
    let handled = 0
    for (;;) {
      const batch = await queue.read(consumer, BATCH)
      if (batch.length === 0) return handled
      for (const change of batch) await applyOne(change.alert)
      await queue.ack(consumer, batch.at(-1)!.id)
      handled += batch.length
    }
  }

  async function tickOnce (): Promise<number> {
    let escalated = 0
    for (;;) {
      const at = now()
      const due = await store.due(at, BATCH)
      if (due.length === 0) return escalated
      for (const incident of due) {
        const route = await routeOf(incident)
        try {
          const stored = await store.update(incident.id, (i) => {
            const m = escalate(i, at, { community, route })
            if (m === undefined) throw new NothingToDo()
            return m
          })
          escalated++
          counters.escalations++
          log.warn({ incidentId: incident.id, tier: stored.incident.tier, step: stored.incident.deadline?.step }, 'deadline missed: escalated')
        } catch (err) {
          if (!(err instanceof NothingToDo)) throw err
        }
      }
      if (due.length < BATCH) return escalated
    }
  }

  /**
   * Delivers audit entries after `lastSeq` to the listeners, in order. Without listeners the cursor
   * still follows the log (a page read per new change, not a count over the store), so a listener
   * that subscribes later gets every change from then on.
   */
  async function pollStream (): Promise<void> {
    for (;;) {
      const changes = await store.changesSince(lastSeq, BATCH)
      for (const c of changes) {
        lastSeq = c.entry.seq
        for (const l of listeners) {
          try { l(c) } catch (err) { log.error({ err: (err as Error).message }, 'a stream listener failed') }
        }
      }
      if (changes.length < BATCH) return
    }
  }

  const poll = async (): Promise<void> => await (polling ??= pollStream().finally(() => { polling = undefined }))

  function wake (): void {
    if (running && polling === undefined) void guarded('stream', poll)
  }

  async function guarded<T> (what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (err) {
      counters.errors++
      log.error({ err: (err as Error).message, code: (err as GangwanError).code }, `dispatch ${what} failed; retrying`)
      return undefined
    }
  }

  const pump = async (): Promise<number> => await (pumping ??= pumpOnce().finally(() => { pumping = undefined }))
  const tick = async (): Promise<number> => await (ticking ??= tickOnce().finally(() => { ticking = undefined }))

  return {
    counters,
    async start () {
      if (running) return
      lastSeq = (await store.stats()).lastSeq
      // A crash between opening an incident and dispatching it leaves it `new`: finish the job.
      for (const incident of (await store.all({ status: ['new'] }))) await autoDispatch(incident)
      running = true
      const every = (ms: number, fn: () => Promise<unknown>): void => {
        const loop = (): void => {
          if (!running) return
          void fn().finally(() => { if (running) timers.push(setTimeout(loop, ms)) })
        }
        loop()
      }
      every(opts.pollMs ?? 100, async () => { await guarded('alert intake', pump); await guarded('stream', poll) })
      every(opts.tickMs ?? 1000, async () => await guarded('escalation', tick))
      log.info({ consumer }, 'dispatch started')
    },
    async stop () {
      running = false
      for (const t of timers) clearTimeout(t)
      timers = []
      await Promise.allSettled([pumping, ticking, polling])
    },
    async act (id, action, actor, expectedVersion) {
      const current = await store.get(id)
      if (current === undefined) throw new GangwanError('GW_ERR_DISPATCH_NOT_FOUND', `no incident "${id}"`)
      const route = action.type === 'dispatch' || action.type === 'reopen' || action.type === 'escalate' ? await routeOf(current) : undefined
      const department = departments.get(action.type === 'dispatch' ? (action.department ?? route?.department ?? '') : '')
      const handler = action.type === 'dispatch' && action.handler === undefined && department !== undefined
        ? pickHandler(department, await store.openByHandler(department.id))
        : undefined
      const stored = await store.update(id, (i) => applyAction(i, action, actor, now(), { community, route, handler }), expectedVersion === undefined ? {} : { expectedVersion })
      counters.actions[action.type] = (counters.actions[action.type] ?? 0) + 1
      wake()
      return stored.incident
    },
    get: async (id) => await store.get(id),
    list: async (query) => await store.list(query),
    timeline: async (id) => await store.timeline(id),
    alerts: async (id) => await store.alerts(id),
    async metrics (query) {
      const incidents = await store.all({
        ...(query.from !== undefined ? { createdFrom: query.from } : {}),
        ...(query.to !== undefined ? { createdTo: query.to } : {}),
        ...(query.category !== undefined ? { category: [query.category] } : {}),
        ...(query.grid !== undefined ? { grid: [query.grid] } : {}),
        ...(query.department !== undefined ? { department: [query.department] } : {})
      })
      return computeMetrics(incidents, query, { timezone: community.timezone })
    },
    changesSince: async (afterSeq, limit) => await store.changesSince(afterSeq, limit),
    subscribe (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    pump,
    tick
  }
}
