import type { Logger } from 'pino'
import { GangwanError, type Alert } from '@gangwan/contracts'
import type { AlertContext, AlertPlan, IncidentStore, StoredChange } from '../incident-store.ts'
import { checkAlertArguments, checkFilters, checkInteger, checkQuery, checkString, MAX_PAGE } from '../sqlite/check-incident-arguments.ts'
import { checkNextVersion, incidentId, validAudit, validIncident, validLink, validScopeKeys } from '../sqlite/validate-change.ts'
import { ensureSchema } from '../../queue/postgres/ensure-schema.ts'
import { openStorePool, quoteSchema, type PostgresConnection } from '../../queue/postgres/postgres-pool.ts'
import { rejectNul } from '../../queue/postgres/reject-nul.ts'
import { lockTransaction, runTransaction } from '../../queue/postgres/run-transaction.ts'
import { incidentReads, type Sql, type StoredLink } from './incident-reads.ts'
import { PG_INCIDENT_SCHEMA_VERSION, INCIDENT_DDL } from './incident-schema.ts'
import { incidentWrites } from './incident-writes.ts'

/** Options for {@link createPostgresIncidentStore}: a connection string or a shared pool, and these. */
export type PostgresIncidentStoreOptions = PostgresConnection & {
  log: Logger
  /** PostgreSQL schema holding the tables, created if missing (may be the alert queue's); default `public`. */
  schema?: string
  /** Hub wall clock (epoch ms) for a link's `linkedAt` and `stats().overdue`; default `Date.now`. */
  now?: () => number
  /** How long a change waits for a lock held by another transaction (ms) before it fails; default 5000. */
  lockTimeoutMs?: number
}

/** Every plan `decide` may return: {@link AlertPlan} and `relink` (refresh a linked alert only). */
type PostgresAlertPlan = AlertPlan | { type: 'relink' }

const MAX_TIME = Number.MAX_SAFE_INTEGER

/** Carries what the domain threw (or a domain bug found in its result) through the transaction, to be rethrown as is. */
class DomainFailure extends Error {
  readonly thrown: unknown
  constructor (thrown: unknown) { super('domain failure'); this.thrown = thrown }
}
/** Runs domain code (the caller's function, or a check of its result) so that what it throws passes through. */
function domain<T> (fn: () => T): T {
  try { return fn() } catch (err) { throw new DomainFailure(err) }
}

/**
 * The PostgreSQL {@link IncidentStore}, for several hub nodes sharing one command centre (DESIGN.md
 * decisions 8 and 9). Same tables and rules as the SQLite store (see `incident-schema.ts`);
 * created on first use, so construction never touches the network.
 *
 * Locks, always taken in this order so that no two transactions wait on each other in a cycle:
 * 1. `applyAlert` takes the store's advisory lock first: alerts are applied one at a time across
 *    every node, so two alerts of one fire never open two incidents;
 * 2. the rows of the incidents a change may modify (`FOR NO KEY UPDATE`), before anything is
 *    decided: `update` and `applyAlert` decide on the latest committed version, never a lost update;
 * 3. the audit advisory lock, last, just before the audit entries are numbered and committed: seqs
 *    commit in order, so the live stream's cursor (`changesSince`) never skips an entry.
 * A lock not obtained within `lockTimeoutMs` fails the change. What `decide` or `mutate` throws
 * rolls back and is rethrown as is; a plan or mutation breaking the store's rules is a domain bug
 * (plain Error, rolled back); database failures, and every call after `close()`, reject with
 * `GW_ERR_DISPATCH_STORE_UNAVAILABLE`. Text holding U+0000, which PostgreSQL cannot store, rejects
 * with `GW_ERR_DISPATCH_INVALID_ACTION`.
 *
 * @example
 * const store = createPostgresIncidentStore({ connectionString: 'postgres://gangwan@db/gangwan', log })
 * const change = await store.update('INC-000001', (i) => accept(i, actor, now()), { expectedVersion: 3 })
 * await store.close()
 */
export function createPostgresIncidentStore (opts: PostgresIncidentStoreOptions): IncidentStore {
  const schema = opts.schema ?? 'public'
  const s = quoteSchema(schema)
  const now = opts.now ?? Date.now
  const lockTimeoutMs = opts.lockTimeoutMs ?? 5000
  const log = opts.log.child({ component: 'incident-store' })
  const { pool, end } = openStorePool(opts, log)
  const reads = incidentReads(s)
  const writes = incidentWrites(s, `incident-audit:${schema}`, now)
  let closed = false
  let ready: Promise<void> | undefined

  /** Creates the tables once; a failure is not kept, so the next call tries again. */
  async function prepare (): Promise<void> {
    ready ??= ensureSchema(pool, { quoted: s, name: schema, component: 'incident-store', version: PG_INCIDENT_SCHEMA_VERSION, ddl: INCIDENT_DDL, code: 'GW_ERR_DISPATCH_STORE_UNAVAILABLE' })
      .catch((err: unknown) => { ready = undefined; throw err })
    await ready
  }

  /** Runs `fn` on an open, prepared store: domain errors and coded errors pass as is, database failures are unavailability. */
  async function guard<T> (what: string, fn: () => Promise<T>): Promise<T> {
    if (closed) throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `${what}: the incident store is closed`)
    try {
      await prepare()
      return await fn()
    } catch (err) {
      if (err instanceof DomainFailure) throw err.thrown
      if (err instanceof GangwanError) throw err
      throw new GangwanError('GW_ERR_DISPATCH_STORE_UNAVAILABLE', `${what}: ${(err as Error).message}`, { cause: err })
    }
  }
  const read = async <T>(what: string, fn: (db: Sql) => Promise<T>): Promise<T> => await guard(what, async () => await fn(pool))
  const noNul = (what: string, ...values: unknown[]): void => { rejectNul(values, 'GW_ERR_DISPATCH_INVALID_ACTION', what) }

  /** Carries out one plan inside the transaction (the store lock and the context's row locks held). */
  async function carryOut (db: Sql, alert: Alert, plan: PostgresAlertPlan, link: StoredLink | undefined): Promise<StoredChange | undefined> {
    const what = `applyAlert ${plan?.type ?? String(plan)} plan for ${alert.key}`
    switch (plan?.type) {
      case 'ignore':
        return undefined
      case 'relink':
        if (!await writes.relink(db, alert)) throw new DomainFailure(new Error(`${what}: the alert is not linked to any incident`))
        return undefined
      case 'create': {
        const [valid, audit, keys, how] = domain(() => [validIncident(what, { ...plan.incident, id: incidentId(0) }), validAudit(what, plan.audit),
          validScopeKeys(what, plan.scopeKeys), validLink(what, plan.link)] as const)
        noNul(what, valid, audit, keys, how)
        const num = await writes.nextNumber(db)
        const incident = { ...valid, id: incidentId(num) }
        await writes.insert(db, incident, num)
        await writes.addScopes(db, incident.id, keys)
        await writes.link(db, alert, incident.id, how, link)
        return { incident, audit: await writes.audit(db, incident.id, audit) }
      }
      case 'update': {
        const id = String(plan.incident?.id)
        const stored = await reads.row(db, id, true)
        if (stored === undefined) throw new DomainFailure(new Error(`${what}: there is no incident ${id}`))
        const [incident, audit, keys, how] = domain(() => {
          const next = validIncident(what, plan.incident)
          checkNextVersion(what, { id, version: stored.version }, next)
          return [next, validAudit(what, plan.audit), validScopeKeys(what, plan.scopeKeys), validLink(what, plan.link)] as const
        })
        noNul(what, incident, audit, keys, how)
        await writes.update(db, incident, stored.version)
        await writes.addScopes(db, incident.id, keys)
        await writes.link(db, alert, incident.id, how, link)
        return { incident, audit: await writes.audit(db, incident.id, audit) }
      }
      default:
        throw new DomainFailure(new Error(`${what}: unknown plan type`))
    }
  }

  return {
    async applyAlert (alertArg, scopeKeysArg, decide) {
      const { alert, scopeKeys } = checkAlertArguments(alertArg, scopeKeysArg)
      noNul('applyAlert', alert, scopeKeys)
      const change = await guard('applyAlert', async () => await runTransaction(pool, async (c) => {
        await lockTransaction(c, `incident-store:${schema}`)
        const { ctx, link } = await reads.context(c, alert.key, scopeKeys)
        const plan = domain(() => (decide as (ctx: AlertContext) => PostgresAlertPlan)(ctx))
        return await carryOut(c, alert, plan, link)
      }, { lockTimeoutMs }))
      if (change !== undefined) log.debug({ incidentId: change.incident.id, version: change.incident.version, alert: alert.key }, 'incident changed by alert')
      return change
    },
    async update (idArg, mutate, updateOpts = {}) {
      const id = checkString('id', idArg)
      const expected = updateOpts.expectedVersion === undefined ? undefined : checkInteger('expectedVersion', updateOpts.expectedVersion, 1, MAX_TIME)
      const change = await guard('update', async () => await runTransaction(pool, async (c) => {
        const stored = await reads.row(c, id, true)
        if (stored === undefined) throw new GangwanError('GW_ERR_DISPATCH_NOT_FOUND', `no incident ${id}`)
        if (expected !== undefined && stored.version !== expected) {
          throw new GangwanError('GW_ERR_DISPATCH_STALE', `${id} is at version ${stored.version}, not ${expected}`)
        }
        const what = `update of ${id}`
        const [incident, audit] = domain(() => {
          const m = mutate(stored.incident)
          const next = validIncident(what, m?.incident)
          checkNextVersion(what, { id, version: stored.version }, next)
          return [next, validAudit(what, m.audit)] as const
        })
        noNul(what, incident, audit)
        await writes.update(c, incident, stored.version)
        return { incident, audit: await writes.audit(c, id, audit) }
      }, { lockTimeoutMs }))
      log.debug({ incidentId: id, version: change.incident.version }, 'incident updated')
      return change
    },
    async get (id) { checkString('id', id); return await read('get', async (db) => (await reads.row(db, id))?.incident) },
    async list (query) { const q = checkQuery(query); return await read('list', async (db) => await reads.list(db, q)) },
    async all (query) { const f = checkFilters(query); return await read('all', async (db) => await reads.all(db, f)) },
    async timeline (id) { checkString('id', id); return await read('timeline', async (db) => await reads.timeline(db, id)) },
    async alerts (id) { checkString('id', id); return await read('alerts', async (db) => await reads.alerts(db, id)) },
    async changesSince (afterSeq, limit) {
      checkInteger('afterSeq', afterSeq, 0, MAX_TIME)
      checkInteger('limit', limit, 1, MAX_PAGE)
      return await read('changesSince', async (db) => await reads.changesSince(db, afterSeq, limit))
    },
    async due (at, limit) {
      checkInteger('now', at, -MAX_TIME, MAX_TIME)
      checkInteger('limit', limit, 1, MAX_PAGE)
      return await read('due', async (db) => await reads.due(db, at, limit))
    },
    async nextDueAt () { return await read('nextDueAt', async (db) => await reads.nextDueAt(db)) },
    async openByHandler (department) {
      checkString('department', department)
      return await read('openByHandler', async (db) => await reads.openByHandler(db, department))
    },
    async stats () { return await read('stats', async (db) => await reads.stats(db, now())) },
    async close () {
      if (closed) return
      closed = true
      await end()
    }
  }
}
