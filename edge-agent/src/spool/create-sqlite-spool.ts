import { DatabaseSync } from 'node:sqlite'
import { LANES, type AppendOutcome, type Lane, type Spool, type SpoolEntry, type SpooledMessage, type SpoolStats } from './spool.ts'

export interface SqliteSpoolOptions {
  /** The spool file; its folder must exist. */
  file: string
  maxReadings: number
  maxBytes: number
  /** `full`: the WAL is fsynced at every commit (survives power loss); `normal`: at checkpoints only (survives a killed process). */
  sync: 'full' | 'normal'
  /** Deferred acks are deleted in one transaction at most this often (ms). */
  ackFlushMs?: number
}

interface Pending {
  entry: SpoolEntry
  resolve: (o: AppendOutcome) => void
  reject: (err: unknown) => void
}

/**
 * The spool in one SQLite file (node:sqlite, WAL). Appends made in the same event-loop turn are
 * written in one transaction, so a burst of readings costs one fsync, not one each.
 *
 * @example
 * const spool = createSqliteSpool({ file: 'spool.db', maxReadings: 1e6, maxBytes: 256e6, sync: 'full' })
 * await spool.append({ topic, payload, lane: LANES.normal, retain: false }) // now durable: PUBACK the device
 */
export function createSqliteSpool (opts: SqliteSpoolOptions): Spool {
  const db = new DatabaseSync(opts.file)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec(`PRAGMA synchronous = ${opts.sync === 'full' ? 'FULL' : 'NORMAL'}`)
  db.exec('PRAGMA busy_timeout = 5000')
  // A small page cache (512 KiB): the spool is written and read sequentially, and a gateway has little memory.
  db.exec('PRAGMA cache_size = -512')
  // AUTOINCREMENT: an id is never reused, even after the newest rows were acknowledged, so a
  // sender's cursor (the last id it read) stays valid across deletes.
  db.exec(`CREATE TABLE IF NOT EXISTS spool (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lane INTEGER NOT NULL,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    retain INTEGER NOT NULL)`)
  db.exec('CREATE INDEX IF NOT EXISTS spool_lane ON spool (lane, id)')

  const insert = db.prepare('INSERT INTO spool (lane, topic, payload, retain) VALUES (?, ?, ?, ?)')
  const evictOldest = db.prepare(`DELETE FROM spool WHERE id IN (SELECT id FROM spool WHERE lane = ${LANES.normal} ORDER BY id LIMIT ?) RETURNING length(payload) AS n`)
  const readLane = db.prepare('SELECT id, lane, topic, payload, retain FROM spool WHERE lane = ? AND id > ? ORDER BY id LIMIT ?')
  const remove = db.prepare('DELETE FROM spool WHERE id IN (SELECT value FROM json_each(?)) RETURNING lane, length(payload) AS n')

  const depth: [number, number, number] = [0, 0, 0]
  const total = (): number => depth[0] + depth[1] + depth[2]
  let bytes = 0
  let dropped = 0
  for (const row of db.prepare('SELECT lane, count(*) AS c, coalesce(sum(length(payload)), 0) AS b FROM spool GROUP BY lane').all()) {
    depth[Number(row.lane) as Lane] = Number(row.c)
    bytes += Number(row.b)
  }

  let pending: Pending[] = []
  let flushScheduled = false
  let acks: number[] = []
  let ackTimer: NodeJS.Timeout | undefined
  const listeners: Array<() => void> = []
  let closed = false

  /** Makes room for one entry by dropping the oldest normal-lane ones; false if not enough could go. */
  function makeRoom (incomingBytes: number): boolean {
    while (total() + 1 > opts.maxReadings || bytes + incomingBytes > opts.maxBytes) {
      if (depth[LANES.normal] === 0) return false
      const over = Math.max(1, total() + 1 - opts.maxReadings)
      for (const row of evictOldest.all(Math.min(over, depth[LANES.normal]))) {
        depth[LANES.normal]--
        bytes -= Number(row.n)
        dropped++
      }
    }
    return true
  }

  function flush (): void {
    flushScheduled = false
    const batch = pending
    pending = []
    if (batch.length === 0) return
    const outcomes: AppendOutcome[] = []
    try {
      db.exec('BEGIN IMMEDIATE')
      try {
        for (const { entry } of batch) {
          // Any entry makes room by pushing out the oldest normal readings. With none left, alarms
          // and life safety are stored over the bound (never dropped) and a normal reading is dropped.
          if (!makeRoom(entry.payload.length) && entry.lane === LANES.normal) {
            dropped++
            outcomes.push('dropped')
            continue
          }
          insert.run(entry.lane, entry.topic, entry.payload, entry.retain ? 1 : 0)
          depth[entry.lane]++
          bytes += entry.payload.length
          outcomes.push('stored')
        }
        db.exec('COMMIT')
      } catch (err) {
        db.exec('ROLLBACK')
        throw err
      }
    } catch (err) {
      // Nothing of this batch is durable: every appender hears it, so no device is acknowledged.
      const counts = db.prepare('SELECT lane, count(*) AS c, coalesce(sum(length(payload)), 0) AS b FROM spool GROUP BY lane').all()
      depth[0] = depth[1] = depth[2] = 0
      bytes = 0
      for (const row of counts) { depth[Number(row.lane) as Lane] = Number(row.c); bytes += Number(row.b) }
      for (const p of batch) p.reject(err)
      return
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(outcomes[i]!)
    if (outcomes.includes('stored')) for (const l of listeners) l()
  }

  function flushAcks (): void {
    ackTimer = undefined
    if (acks.length === 0) return
    const ids = acks
    acks = []
    for (const row of remove.all(JSON.stringify(ids))) {
      depth[Number(row.lane) as Lane]--
      bytes -= Number(row.n)
    }
  }

  return {
    append (entry) {
      if (closed) return Promise.reject(new Error('spool closed'))
      return new Promise<AppendOutcome>((resolve, reject) => {
        pending.push({ entry, resolve, reject })
        if (!flushScheduled) {
          flushScheduled = true
          setImmediate(flush)
        }
      })
    },
    read (lane, afterId, limit): SpooledMessage[] {
      return readLane.all(lane, afterId, limit).map((r) => {
        // node:sqlite hands each BLOB over in its own Uint8Array: wrap it, do not copy it (replay reads ~17,000/s).
        const blob = r.payload as Uint8Array
        return { id: Number(r.id), lane: Number(r.lane) as Lane, topic: String(r.topic), payload: Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength), retain: r.retain === 1 }
      })
    },
    ack (ids) {
      if (closed || ids.length === 0) return
      for (const id of ids) acks.push(id)
      if (acks.length >= 5000) flushAcks()
      else ackTimer ??= setTimeout(flushAcks, opts.ackFlushMs ?? 50)
    },
    stats (): SpoolStats {
      return { depth: total(), bytes, depthByLane: [depth[0], depth[1], depth[2]], dropped }
    },
    onAppend (listener) {
      listeners.push(listener)
    },
    async close () {
      if (closed) return
      // Let appends already handed to us commit: their callers are waiting to acknowledge.
      if (pending.length > 0) flush()
      closed = true
      if (ackTimer !== undefined) clearTimeout(ackTimer)
      flushAcks()
      db.close()
    }
  }
}
