import type { PoolClient } from 'pg'
import type { Logger } from 'pino'
import { GangwanError, type Alert } from '@gangwan/contracts'
import type { AlertChange, AlertChangeType, AlertQueue } from '../alert-queue.ts'
import { checkConsumer, checkCount } from '../check-arguments.ts'
import { validateAlerts } from '../validate-alerts.ts'
import { ensureSchema } from './ensure-schema.ts'
import { planPut, type PutPlan, type StoredAlertState } from './plan-put.ts'
import { openStorePool, quoteSchema, type PostgresConnection } from './postgres-pool.ts'
import { PG_QUEUE_SCHEMA_VERSION, QUEUE_DDL } from './queue-schema.ts'
import { rejectNul } from './reject-nul.ts'
import { lockTransaction, runTransaction } from './run-transaction.ts'

/** Options for {@link createPostgresAlertQueue}: a connection string or a shared pool, and these. */
export type PostgresAlertQueueOptions = PostgresConnection & {
  log: Logger
  /** PostgreSQL schema holding the queue's tables, created if missing; default `public`. */
  schema?: string
  /** Hub wall clock (epoch ms) stamped on changes, cursors and refusals; default `Date.now`. */
  now?: () => number
  /** How long a put waits for another writer's lock (ms) before it fails; default 5000. */
  lockTimeoutMs?: number
}

/** Largest page `read` and `changesSince` return (as in the SQLite queue). */
const MAX_PAGE = 10_000

type ChangeRow = { id: string, type: AlertChangeType, at: string, alert: Alert }
const toChange = (r: ChangeRow): AlertChange => ({ id: Number(r.id), type: r.type, at: Number(r.at), alert: r.alert })

/**
 * The PostgreSQL {@link AlertQueue}, for several hub nodes sharing one command centre (DESIGN.md
 * decisions 8 and 9). Same tables and semantics as the SQLite queue (see `queue-schema.ts`);
 * the tables are created on first use, so construction never touches the network.
 *
 * Every put is one transaction serialized by `pg_advisory_xact_lock` on the queue (per schema),
 * taken before anything is read: the put decides on what the previous put committed, numbers its
 * changes after the previous put's, and commits before the next put can start. A sequence alone
 * would not do: a later id could commit before an earlier one and a consumer reading between
 * the two would move its cursor past the earlier id for ever. Durable on return: every
 * transaction runs with `synchronous_commit = on`. Any database failure, and every call after
 * `close()`, rejects with `GW_ERR_QUEUE_UNAVAILABLE`.
 *
 * @example
 * const queue = createPostgresAlertQueue({ connectionString: 'postgres://gangwan@db/gangwan', log })
 * await queue.put(alerts)
 * const batch = await queue.read('incidents', 100)
 * await queue.ack('incidents', batch.at(-1)?.id ?? 0)
 * await queue.close()
 */
export function createPostgresAlertQueue (opts: PostgresAlertQueueOptions): AlertQueue {
  const schema = opts.schema ?? 'public'
  const s = quoteSchema(schema)
  const now = opts.now ?? Date.now
  const lockTimeoutMs = opts.lockTimeoutMs ?? 5000
  const log = opts.log.child({ component: 'alert-queue' })
  const { pool, end } = openStorePool(opts, log)
  let closed = false
  let ready: Promise<void> | undefined

  /** Creates the tables once; a failure is not kept, so the next call tries again. */
  async function prepare (): Promise<void> {
    ready ??= ensureSchema(pool, { quoted: s, name: schema, component: 'alert-queue', version: PG_QUEUE_SCHEMA_VERSION, ddl: QUEUE_DDL, code: 'GW_ERR_QUEUE_UNAVAILABLE' })
      .catch((err: unknown) => { ready = undefined; throw err })
    await ready
  }

  /** Runs `fn` on an open, prepared store, turning database failures into `GW_ERR_QUEUE_UNAVAILABLE`. */
  async function guard<T> (what: string, fn: () => Promise<T>): Promise<T> {
    if (closed) throw new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', `${what}: the alert queue is closed`)
    try {
      await prepare()
      return await fn()
    } catch (err) {
      if (err instanceof GangwanError) throw err
      throw new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', `${what}: ${(err as Error).message}`, { cause: err })
    }
  }

  async function rows<T> (sql: string, params: unknown[] = []): Promise<T[]> {
    return (await pool.query(sql, params)).rows as T[]
  }

  /** Writes one planned put; returns the refusals seen for the first time (to log after COMMIT). */
  async function write (c: PoolClient, plan: PutPlan, at: number): Promise<PutPlan['refusals']> {
    let id = Number((await c.query<{ n: string }>(`SELECT coalesce(max(id), 0) AS n FROM ${s}.changes`)).rows[0]!.n)
    for (const { alert: a, type } of plan.writes) {
      // A data-modifying CTE runs once whether or not it is referenced: upsert and append in one round trip.
      await c.query(`WITH up AS (
          INSERT INTO ${s}.alerts (key, rule_id, subject, state, category, version, alert) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (key) DO UPDATE SET rule_id = excluded.rule_id, subject = excluded.subject, state = excluded.state,
            category = excluded.category, version = excluded.version, alert = excluded.alert)
        INSERT INTO ${s}.changes (id, type, key, version, at, alert) VALUES ($8, $9, $1, $6, $10, $7)`,
      [a.key, a.ruleId, a.subject, a.state, a.category, a.version, JSON.stringify(a), ++id, type, at])
    }
    const fresh: PutPlan['refusals'] = []
    for (const r of plan.refusals) {
      const res = await c.query(`INSERT INTO ${s}.refused (key, version, open_key, at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (key, version) DO NOTHING`, [r.alert.key, r.alert.version, r.openKey, at])
      if (res.rowCount === 1) fresh.push(r)
    }
    return fresh
  }

  async function store (alerts: Alert[]): Promise<void> {
    const at = now()
    const { plan, fresh } = await runTransaction(pool, async (c) => {
      await lockTransaction(c, `alert-queue:${schema}`)
      // The rows of the put's keys, and the open episodes of its (ruleId, subject) pairs.
      const found = await c.query<{ key: string, rule_id: string, subject: string, state: Alert['state'], version: string }>(
        `SELECT key, rule_id, subject, state, version FROM ${s}.alerts WHERE key = ANY($1::text[])
          OR (state = 'open' AND (rule_id, subject) IN (SELECT * FROM unnest($2::text[], $3::text[])))`,
        [alerts.map((a) => a.key), alerts.map((a) => a.ruleId), alerts.map((a) => a.subject)])
      const state: StoredAlertState[] = found.rows.map((r) => ({ key: r.key, ruleId: r.rule_id, subject: r.subject, state: r.state, version: Number(r.version) }))
      const plan = planPut(alerts, state)
      return { plan, fresh: await write(c, plan, at) }
    }, { lockTimeoutMs })
    for (const { alert: a, openKey } of fresh) {
      log.warn({ key: a.key, openKey, ruleId: a.ruleId, subject: a.subject, version: a.version }, 'alert refused: another episode of this rule and subject is open')
    }
    log.debug({ stored: plan.writes.length, unchanged: plan.unchanged, refused: plan.refusals.length }, 'alerts put')
  }

  return {
    async put (alerts) {
      const valid = validateAlerts(alerts)
      rejectNul(valid, 'GW_ERR_QUEUE_INVALID_ALERT', 'alerts')
      await guard('put', async () => { if (valid.length > 0) await store(valid) })
    },
    async open () {
      return await guard('open', async () => (await rows<{ alert: Alert }>(`SELECT alert FROM ${s}.alerts WHERE state = 'open' ORDER BY key`)).map((r) => r.alert))
    },
    async get (key) {
      return await guard('get', async () => (await rows<{ alert: Alert }>(`SELECT alert FROM ${s}.alerts WHERE key = $1`, [key]))[0]?.alert)
    },
    async list (query = {}) {
      const limit = checkCount('limit', query.limit ?? 100, 1, 1000)
      const where: string[] = []
      const params: unknown[] = []
      for (const [column, value] of [['state', query.state], ['category', query.category]] as const) {
        if (value !== undefined) { params.push(value); where.push(`${column} = $${params.length}`) }
      }
      if (query.afterKey !== undefined) { params.push(query.afterKey); where.push(`key > $${params.length}`) }
      params.push(limit)
      const sql = `SELECT alert FROM ${s}.alerts ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY key LIMIT $${params.length}`
      return await guard('list', async () => (await rows<{ alert: Alert }>(sql, params)).map((r) => r.alert))
    },
    async read (consumer, limit) {
      checkConsumer(consumer)
      checkCount('limit', limit, 1, MAX_PAGE)
      return await guard('read', async () => (await rows<ChangeRow>(`SELECT id, type, at, alert FROM ${s}.changes
        WHERE id > coalesce((SELECT acked_id FROM ${s}.cursors WHERE consumer = $1), 0) ORDER BY id LIMIT $2`, [consumer, limit])).map(toChange))
    },
    async ack (consumer, uptoId) {
      checkConsumer(consumer)
      checkCount('uptoId', uptoId, 0, Number.MAX_SAFE_INTEGER)
      // Clamped to the newest committed change: acking ahead of the log must not skip changes not written yet.
      await guard('ack', async () => await pool.query(`INSERT INTO ${s}.cursors (consumer, acked_id, at)
        VALUES ($1, least($2::bigint, (SELECT coalesce(max(id), 0) FROM ${s}.changes)), $3)
        ON CONFLICT (consumer) DO UPDATE SET acked_id = excluded.acked_id, at = excluded.at
        WHERE excluded.acked_id > ${s}.cursors.acked_id`, [consumer, uptoId, now()]))
    },
    async changesSince (id, limit) {
      checkCount('id', id, 0, Number.MAX_SAFE_INTEGER)
      checkCount('limit', limit, 1, MAX_PAGE)
      return await guard('changesSince', async () => (await rows<ChangeRow>(`SELECT id, type, at, alert FROM ${s}.changes
        WHERE id > $1 ORDER BY id LIMIT $2`, [id, limit])).map(toChange))
    },
    async stats () {
      return await guard('stats', async () => {
        // One statement, one snapshot. Change ids are gapless (see queue-schema.ts): the newest is the count.
        const [r] = await rows<{ open: string, cleared: string, last: string, refused: string, consumers: Record<string, number> }>(`SELECT
          (SELECT count(*) FROM ${s}.alerts WHERE state = 'open') AS open,
          (SELECT count(*) FROM ${s}.alerts WHERE state = 'cleared') AS cleared,
          (SELECT coalesce(max(id), 0) FROM ${s}.changes) AS last,
          (SELECT count(*) FROM ${s}.refused) AS refused,
          (SELECT coalesce(jsonb_object_agg(consumer, acked_id), '{}') FROM ${s}.cursors) AS consumers`)
        const last = Number(r!.last)
        return {
          alerts: { open: Number(r!.open), cleared: Number(r!.cleared) },
          changes: last,
          lastChangeId: last,
          refusedDuplicates: Number(r!.refused),
          consumers: r!.consumers
        }
      })
    },
    async close () {
      if (closed) return
      closed = true
      await end()
    }
  }
}
