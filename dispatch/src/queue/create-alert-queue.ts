import type { StatementSync } from 'node:sqlite'
import type { Logger } from 'pino'
import { GangwanError, type Alert } from '@gangwan/contracts'
import type { AlertChange, AlertChangeType, AlertQueue } from './alert-queue.ts'
import { changeType } from './change-type.ts'
import { checkConsumer, checkCount } from './check-arguments.ts'
import { openQueueDatabase } from './open-queue-database.ts'
import { validateAlerts } from './validate-alerts.ts'

/** Options for {@link createAlertQueue}. */
export interface AlertQueueOptions {
  /** SQLite file; created with its folder's permissions if missing. Several processes may share it. */
  path: string
  log: Logger
  /** Hub wall clock (epoch ms) stamped on changes, cursors and refusals; default `Date.now`. */
  now?: () => number
  /** How long a writer waits for another connection's write lock (ms); default 5000. */
  busyTimeoutMs?: number
}

/** Largest page `read`, `changesSince` and `list` return. */
const MAX_PAGE = 10_000

/**
 * The SQLite {@link AlertQueue}: one file (WAL, `synchronous = FULL`) holding the newest version of
 * each alert, an append-only change log and the consumers' cursors.
 *
 * `put` runs as one `BEGIN IMMEDIATE` transaction: the write lock is taken before anything is
 * read, so two connections putting the same keys serialize (waiting up to `busyTimeoutMs`) and the
 * second sees what the first committed. A second open episode of a (ruleId, subject) under another
 * key is refused: not stored, recorded once per (key, version) in `refused`, logged as a warning
 * with both keys. The first episode wins because it is what dispatch already works on; the refused
 * key is accepted by a later put once the first one is cleared. The partial unique index
 * `alerts_one_open` backs this up: a put that slipped past the check would fail whole.
 *
 * @example
 * const queue = createAlertQueue({ path: join(dataDir, 'dispatch.db'), log })
 * await queue.put(alerts)          // durable when it resolves
 * const batch = await queue.read('incidents', 100)
 * await queue.ack('incidents', batch.at(-1)?.id ?? 0)
 * await queue.close()
 */
export function createAlertQueue (opts: AlertQueueOptions): AlertQueue {
  const db = openQueueDatabase(opts.path, opts.busyTimeoutMs ?? 5000)
  const now = opts.now ?? Date.now
  const log = opts.log.child({ component: 'alert-queue' })
  let closed = false

  const byKey = db.prepare('SELECT state, version FROM alerts WHERE key = ?')
  const otherOpen = db.prepare("SELECT key FROM alerts WHERE rule_id = ? AND subject = ? AND state = 'open' AND key <> ?")
  const upsert = db.prepare(`INSERT INTO alerts (key, rule_id, subject, state, category, version, alert) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET rule_id = excluded.rule_id, subject = excluded.subject, state = excluded.state,
      category = excluded.category, version = excluded.version, alert = excluded.alert`)
  const append = db.prepare('INSERT INTO changes (type, key, version, at, alert) VALUES (?, ?, ?, ?, ?)')
  const refuse = db.prepare('INSERT OR IGNORE INTO refused (key, version, open_key, at) VALUES (?, ?, ?, ?)')
  const getOne = db.prepare('SELECT alert FROM alerts WHERE key = ?')
  const openAll = db.prepare("SELECT alert FROM alerts WHERE state = 'open' ORDER BY key")
  const after = db.prepare('SELECT id, type, at, alert FROM changes WHERE id > ? ORDER BY id LIMIT ?')
  const afterCursor = db.prepare(`SELECT id, type, at, alert FROM changes
    WHERE id > coalesce((SELECT acked_id FROM cursors WHERE consumer = ?), 0) ORDER BY id LIMIT ?`)
  // Clamped to the newest change: acking ahead of the log must not skip changes not written yet.
  const ackStmt = db.prepare(`INSERT INTO cursors (consumer, acked_id, at)
    VALUES (?, min(?, (SELECT coalesce(max(id), 0) FROM changes)), ?)
    ON CONFLICT (consumer) DO UPDATE SET acked_id = excluded.acked_id, at = excluded.at
    WHERE excluded.acked_id > cursors.acked_id`)
  const countStates = db.prepare('SELECT state, count(*) AS n FROM alerts GROUP BY state')
  const lastChange = db.prepare('SELECT coalesce(max(id), 0) AS n FROM changes')
  const countRefused = db.prepare('SELECT count(*) AS n FROM refused')
  const cursorsAll = db.prepare('SELECT consumer, acked_id FROM cursors ORDER BY consumer')
  const listStatements = new Map<string, StatementSync>()

  /** Runs `fn` on an open database, turning SQLite failures into `GW_ERR_QUEUE_UNAVAILABLE`. */
  function guard<T> (what: string, fn: () => T): T {
    if (closed) throw new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', `${what}: the alert queue is closed`)
    try {
      return fn()
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK')
      if (err instanceof GangwanError) throw err
      throw new GangwanError('GW_ERR_QUEUE_UNAVAILABLE', `${what}: ${(err as Error).message}`, { cause: err })
    }
  }

  const toChanges = (rows: unknown[]): AlertChange[] => (rows as { id: number, type: AlertChangeType, at: number, alert: string }[])
    .map((r) => ({ id: r.id, type: r.type, at: r.at, alert: JSON.parse(r.alert) as Alert }))
  const toAlerts = (rows: unknown[]): Alert[] => (rows as { alert: string }[]).map((r) => JSON.parse(r.alert) as Alert)

  function store (alerts: Alert[]): void {
    const result = { stored: 0, unchanged: 0, refused: 0 }
    const warnings: { key: string, openKey: string, ruleId: string, subject: string, version: number }[] = []
    const at = now()
    db.exec('BEGIN IMMEDIATE')
    for (const a of alerts) {
      const prev = byKey.get(a.key) as { state: Alert['state'], version: number } | undefined
      if (prev !== undefined && prev.version >= a.version) { result.unchanged++; continue }
      if (a.state === 'open') {
        const other = otherOpen.get(a.ruleId, a.subject, a.key) as { key: string } | undefined
        if (other !== undefined) {
          result.refused++
          if (Number(refuse.run(a.key, a.version, other.key, at).changes) === 1) {
            warnings.push({ key: a.key, openKey: other.key, ruleId: a.ruleId, subject: a.subject, version: a.version })
          }
          continue
        }
      }
      const json = JSON.stringify(a)
      upsert.run(a.key, a.ruleId, a.subject, a.state, a.category, a.version, json)
      append.run(changeType(prev?.state, a.state), a.key, a.version, at, json)
      result.stored++
    }
    db.exec('COMMIT')
    for (const w of warnings) log.warn(w, 'alert refused: another episode of this rule and subject is open')
    log.debug(result, 'alerts put')
  }

  function listStatement (state: boolean, category: boolean, afterKey: boolean): StatementSync {
    const id = `${+state}${+category}${+afterKey}`
    let stmt = listStatements.get(id)
    if (stmt === undefined) {
      const where = [state && 'state = ?', category && 'category = ?', afterKey && 'key > ?'].filter((w) => w !== false)
      stmt = db.prepare(`SELECT alert FROM alerts ${where.length > 0 ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY key LIMIT ?`)
      listStatements.set(id, stmt)
    }
    return stmt
  }

  return {
    async put (alerts) {
      const valid = validateAlerts(alerts)
      guard('put', () => store(valid))
    },
    async open () { return guard('open', () => toAlerts(openAll.all())) },
    async get (key) {
      return guard('get', () => {
        const row = getOne.get(key) as { alert: string } | undefined
        return row === undefined ? undefined : JSON.parse(row.alert) as Alert
      })
    },
    async list (query = {}) {
      const limit = checkCount('limit', query.limit ?? 100, 1, 1000)
      const args = [query.state, query.category, query.afterKey].filter((v) => v !== undefined)
      return guard('list', () => toAlerts(listStatement(query.state !== undefined, query.category !== undefined, query.afterKey !== undefined).all(...args, limit)))
    },
    async read (consumer, limit) {
      checkConsumer(consumer)
      checkCount('limit', limit, 1, MAX_PAGE)
      return guard('read', () => toChanges(afterCursor.all(consumer, limit)))
    },
    async ack (consumer, uptoId) {
      checkConsumer(consumer)
      checkCount('uptoId', uptoId, 0, Number.MAX_SAFE_INTEGER)
      guard('ack', () => ackStmt.run(consumer, uptoId, now()))
    },
    async changesSince (id, limit) {
      checkCount('id', id, 0, Number.MAX_SAFE_INTEGER)
      checkCount('limit', limit, 1, MAX_PAGE)
      return guard('changesSince', () => toChanges(after.all(id, limit)))
    },
    async stats () {
      return guard('stats', () => {
        // One read transaction: the counts come from the same snapshot.
        db.exec('BEGIN')
        const states = countStates.all() as { state: Alert['state'], n: number }[]
        // Rows are never deleted and a rolled-back insert rolls its AUTOINCREMENT back too, so the
        // ids are 1…n without gaps: the newest id is the row count without scanning the log.
        const last = (lastChange.get() as { n: number }).n
        const stats = {
          alerts: { open: states.find((s) => s.state === 'open')?.n ?? 0, cleared: states.find((s) => s.state === 'cleared')?.n ?? 0 },
          changes: last,
          lastChangeId: last,
          refusedDuplicates: (countRefused.get() as { n: number }).n,
          consumers: Object.fromEntries((cursorsAll.all() as { consumer: string, acked_id: number }[]).map((c) => [c.consumer, c.acked_id]))
        }
        db.exec('COMMIT')
        return stats
      })
    },
    async close () {
      if (closed) return
      closed = true
      db.close()
    }
  }
}
