import type { Logger } from 'pino'
import { GangwanError, type Alert } from '@gangwan/contracts'
import type { AlertPlan, IncidentStore, StoredChange } from '../incident-store.ts'
import { checkAlertArguments, checkFilters, checkInteger, checkQuery, checkString, MAX_PAGE } from './check-incident-arguments.ts'
import { prepareIncidentReads } from './incident-reads.ts'
import { prepareIncidentWrites, type StoredLink } from './incident-writes.ts'
import { openIncidentDatabase } from './open-incident-database.ts'
import { checkNextVersion, incidentId, validAudit, validIncident, validLink, validScopeKeys } from './validate-change.ts'

/** Options for {@link createSqliteIncidentStore}. */
export interface SqliteIncidentStoreOptions {
  /** SQLite file, possibly the alert queue's; created if missing. Several processes may share it. */
  path: string
  log: Logger
  /** Hub wall clock (epoch ms) for a link's `linkedAt` and `stats().overdue`; default `Date.now`. */
  now?: () => number
  /** How long a writer waits for another connection's write lock (ms); default 5000. */
  busyTimeoutMs?: number
}

const MAX_INT = Number.MAX_SAFE_INTEGER

/** node:sqlite reports every SQLite failure (busy, I/O, full disk, corruption) with this code. */
const isSqliteError = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'ERR_SQLITE_ERROR'

/**
 * The SQLite {@link IncidentStore} (`node:sqlite`, WAL, `synchronous = FULL`): incidents as
 * validated JSON with indexed copies of the fields queries filter on, the scope index that finds
 * merge candidates, the alert links, the audit log (`seq` = AUTOINCREMENT rowid) and the id counter.
 *
 * Every change is one `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is
 * read, so the domain function decides on the latest committed state and no other connection (in
 * this process or another) writes until the commit. That is what makes two alerts of one fire meet
 * in one incident and two updates of one incident never lose either. The domain function runs
 * synchronously inside the transaction; what it throws rolls back and is rethrown as is. A plan or
 * mutation that breaks the store's rules (invalid incident or audit, a version that is not the next
 * one, a relink of an alert not linked) is a domain bug: a plain Error, rolled back. SQLite failures
 * (a lock not obtained within `busyTimeoutMs`, I/O) reject with `GW_ERR_DISPATCH_STORE_UNAVAILABLE`.
 *
 * @example
 * const store = createSqliteIncidentStore({ path: join(dataDir, 'dispatch.db'), log })
 * const change = await store.update('INC-000001', (i) => accept(i, actor, now()), { expectedVersion: 3 })
 * await store.close()
 */
export function createSqliteIncidentStore (opts: SqliteIncidentStoreOptions): IncidentStore {
  const db = openIncidentDatabase(opts.path, opts.busyTimeoutMs ?? 5000)
  const now = opts.now ?? Date.now
  const log = opts.log.child({ component: 'incident-store' })
  const reads = prepareIncidentReads(db)
  const writes = prepareIncidentWrites(db, now)
  let closed = false

  /**
   * Runs `fn` on the open database; on any throw rolls back the transaction `fn` began. SQLite
   * failures become `GW_ERR_DISPATCH_STORE_UNAVAILABLE`; anything else (the domain's errors, coded
   * errors) is rethrown as is.
   */
  function guard<T> (what: string, fn: () => T): T {
    if (closed) throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `${what}: the incident store is closed`)
    try {
      return fn()
    } catch (err) {
      try {
        if (db.isTransaction) db.exec('ROLLBACK')
      } catch (rollbackErr) {
        log.error({ err: rollbackErr }, 'rollback failed')
      }
      if (isSqliteError(err)) throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `${what}: ${(err as Error).message}`, { cause: err })
      throw err
    }
  }

  /** Carries out one plan inside the open transaction. */
  function carryOut (alert: Alert, plan: AlertPlan, link: StoredLink | undefined): StoredChange | undefined {
    const what = `applyAlert ${plan?.type ?? String(plan)} plan for ${alert.key}`
    switch (plan?.type) {
      case 'ignore':
        return undefined
      case 'relink':
        if (!writes.relink(alert)) throw new Error(`${what}: the alert is not linked to any incident`)
        return undefined
      case 'create': {
        const num = writes.nextNumber()
        const incident = validIncident(what, { ...plan.incident, id: incidentId(num) })
        const [audit, keys, how] = [validAudit(what, plan.audit), validScopeKeys(what, plan.scopeKeys), validLink(what, plan.link)]
        writes.insert(incident, num)
        writes.addScopes(incident.id, keys)
        writes.link(alert, incident.id, how, link)
        return { incident, audit: writes.audit(incident.id, audit) }
      }
      case 'update': {
        const id = String(plan.incident?.id)
        const stored = reads.row(id)
        if (stored === undefined) throw new Error(`${what}: there is no incident ${id}`)
        const incident = validIncident(what, plan.incident)
        checkNextVersion(what, { id, version: stored.version }, incident)
        const [audit, keys, how] = [validAudit(what, plan.audit), validScopeKeys(what, plan.scopeKeys), validLink(what, plan.link)]
        writes.update(incident, stored.version)
        writes.addScopes(incident.id, keys)
        writes.link(alert, incident.id, how, link)
        return { incident, audit: writes.audit(incident.id, audit) }
      }
      default:
        throw new Error(`${what}: unknown plan type`)
    }
  }

  return {
    async applyAlert (alertArg, scopeKeysArg, decide) {
      const { alert, scopeKeys } = checkAlertArguments(alertArg, scopeKeysArg)
      const change = guard('applyAlert', () => {
        db.exec('BEGIN IMMEDIATE')
        const { ctx, link } = reads.context(alert.key, scopeKeys)
        const plan = decide(ctx)
        const stored = carryOut(alert, plan, link)
        db.exec('COMMIT')
        return stored
      })
      if (change !== undefined) log.debug({ incidentId: change.incident.id, version: change.incident.version, alert: alert.key }, 'incident changed by alert')
      return change
    },
    async update (idArg, mutate, updateOpts = {}) {
      const id = checkString('id', idArg)
      const expected = updateOpts.expectedVersion === undefined ? undefined : checkInteger('expectedVersion', updateOpts.expectedVersion, 1, MAX_INT)
      const change = guard('update', () => {
        db.exec('BEGIN IMMEDIATE')
        const stored = reads.row(id)
        if (stored === undefined) throw new GangwanError('GW_ERR_DISPATCH_NOT_FOUND', `no incident ${id}`)
        if (expected !== undefined && stored.version !== expected) {
          throw new GangwanError('GW_ERR_DISPATCH_STALE', `${id} is at version ${stored.version}, not ${expected}`)
        }
        const m = mutate(stored.incident)
        const what = `update of ${id}`
        const incident = validIncident(what, m?.incident)
        checkNextVersion(what, { id, version: stored.version }, incident)
        const audit = validAudit(what, m.audit)
        writes.update(incident, stored.version)
        const result = { incident, audit: writes.audit(id, audit) }
        db.exec('COMMIT')
        return result
      })
      log.debug({ incidentId: id, version: change.incident.version }, 'incident updated')
      return change
    },
    async get (id) { checkString('id', id); return guard('get', () => reads.row(id)?.incident) },
    async list (query) {
      const q = checkQuery(query)
      // One read transaction: the page and the total come from the same snapshot.
      return guard('list', () => { db.exec('BEGIN'); const page = reads.list(q); db.exec('COMMIT'); return page })
    },
    async all (query) { const f = checkFilters(query); return guard('all', () => reads.all(f)) },
    async timeline (id) { checkString('id', id); return guard('timeline', () => reads.timeline(id)) },
    async alerts (id) { checkString('id', id); return guard('alerts', () => reads.alerts(id)) },
    async changesSince (afterSeq, limit) {
      checkInteger('afterSeq', afterSeq, 0, MAX_INT)
      checkInteger('limit', limit, 1, MAX_PAGE)
      return guard('changesSince', () => reads.changesSince(afterSeq, limit))
    },
    async due (at, limit) {
      checkInteger('now', at, -MAX_INT, MAX_INT)
      checkInteger('limit', limit, 1, MAX_PAGE)
      return guard('due', () => reads.due(at, limit))
    },
    async nextDueAt () { return guard('nextDueAt', () => reads.nextDueAt()) },
    async openByHandler (department) { checkString('department', department); return guard('openByHandler', () => reads.openByHandler(department)) },
    async stats () {
      return guard('stats', () => { db.exec('BEGIN'); const stats = reads.stats(now()); db.exec('COMMIT'); return stats })
    },
    async close () {
      if (closed) return
      closed = true
      db.close()
    }
  }
}
