import { DatabaseSync, type StatementSync } from 'node:sqlite'

/** The oldest pending rows, in id order. */
export interface JournalBatch {
  /** Id of the last row; everything up to it is removed or dead-lettered as one. */
  lastId: number
  lines: string[]
  /** Telemetry `ts` (ms) per row, null for status and heartbeat. */
  measuredAt: (number | null)[]
}

/** One row to journal: the point's line protocol, its telemetry `ts` (ms) if any, and its arrival time (ms). */
export interface JournalInput {
  line: string
  measuredAt: number | null
  receivedAt: number
}

/** The durable queue between accept() and the InfluxDB writer. */
export interface Journal {
  /** Rows not yet confirmed by InfluxDB. */
  readonly pending: number
  /** Highest id ever appended (ids never repeat: AUTOINCREMENT). */
  readonly lastId: number
  /** Appends rows in one transaction; when this returns they are committed (durable per `sync`). */
  append: (rows: readonly JournalInput[]) => void
  /** Up to `limit` oldest rows, or undefined when empty. */
  head: (limit: number) => JournalBatch | undefined
  /** Deletes every row up to `lastId` (InfluxDB confirmed them). */
  remove: (lastId: number) => void
  /** Moves every row up to `lastId` to `dead_letter` with the reason InfluxDB gave. */
  deadLetter: (lastId: number, error: string) => void
  /** `receivedAt` (epoch ms) of the oldest pending row. */
  oldestReceivedAt: () => number | undefined
  /** Truncates the WAL file (PRAGMA wal_checkpoint(TRUNCATE)). */
  checkpoint: () => void
  close: () => void
}

/** Options for {@link openJournal}. */
export interface JournalOptions {
  path: string
  /** PRAGMA synchronous: `full` fsyncs the WAL per commit (power-loss safe), `normal` at checkpoints. */
  sync: 'full' | 'normal'
}

/** Rows per multi-row INSERT (96 bound values, well under SQLite's limit of 32766). */
const CHUNK = 32
/**
 * Most rows kept in memory for the writer (≈ 200 B of line each): a normal backlog is a fraction of
 * a second; during an InfluxDB outage older rows are read back from SQLite instead.
 */
const MEMORY_ROWS = 100_000

/** Rows one append committed, in id order from `first`. */
interface Appended { first: number, lines: string[], measuredAt: (number | null)[] }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at INTEGER NOT NULL,
  measured_at INTEGER,
  line TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS dead_letter (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  journal_id INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  line TEXT NOT NULL,
  error TEXT NOT NULL,
  failed_at INTEGER NOT NULL
) STRICT;`

/**
 * Opens (creating if needed) the SQLite journal in WAL mode. Statements are prepared once; the
 * append path binds three values per row inside one BEGIN/COMMIT per group.
 *
 * The rows appended by this process are also kept in memory (up to {@link MEMORY_ROWS}), so
 * `head` hands the writer the very strings it was given instead of reading them back (0.7 µs per
 * row); rows left by a previous run, or pushed out of memory during an outage, are read from
 * SQLite, oldest first, before the in-memory ones. The database stays the only durable copy.
 *
 * @example const j = openJournal({ path: 'ingest-journal.db', sync: 'full' })
 */
export function openJournal (opts: JournalOptions): Journal {
  const db = new DatabaseSync(opts.path)
  let open = true
  db.exec('PRAGMA journal_mode = WAL')
  db.exec(`PRAGMA synchronous = ${opts.sync === 'full' ? 'FULL' : 'NORMAL'}`)
  // Keep a truncated WAL from regrowing past 64 MiB between checkpoints.
  db.exec('PRAGMA journal_size_limit = 67108864')
  db.exec(SCHEMA)

  const insert = db.prepare('INSERT INTO journal (received_at, measured_at, line) VALUES (?, ?, ?)')
  // Multi-row INSERT: one native call per CHUNK rows measured 2.3-2.6 µs/row against 4.1 µs/row.
  const insertChunk = db.prepare('INSERT INTO journal (received_at, measured_at, line) VALUES ' + Array<string>(CHUNK).fill('(?, ?, ?)').join(', '))
  const chunkArgs = new Array<number | string | null>(CHUNK * 3)
  const head = db.prepare('SELECT id, measured_at, line FROM journal WHERE id < ? ORDER BY id LIMIT ?')
  head.setReturnArrays(true)
  const del = db.prepare('DELETE FROM journal WHERE id <= ?')
  const toDead = db.prepare('INSERT INTO dead_letter (journal_id, received_at, line, error, failed_at) SELECT id, received_at, line, ?, ? FROM journal WHERE id <= ?')
  const oldest = db.prepare('SELECT received_at FROM journal ORDER BY id LIMIT 1')
  let pending = Number((db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n)
  let lastId = Number((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").get() as { seq: number } | undefined)?.seq ?? 0)
  /** Recent appends, oldest first; `skip` rows of the first one are already removed. */
  const memory: Appended[] = []
  let skip = 0
  let memoryRows = 0
  /** Whether rows below the in-memory ones may exist (left by a previous run, or pushed out of memory). */
  let onDisk = pending > 0

  const memoryFirst = (): number => memory.length > 0 ? memory[0]!.first + skip : lastId + 1

  function remember (first: number, rows: readonly JournalInput[]): void {
    const prev = memory[memory.length - 1]
    // Only contiguous ids; a gap cannot happen with one connection and AUTOINCREMENT, but be safe.
    if (prev !== undefined && prev.first + prev.lines.length !== first) forgetUpTo(first - 1, true)
    const lines = new Array<string>(rows.length)
    const measuredAt = new Array<number | null>(rows.length)
    for (let i = 0; i < rows.length; i++) { lines[i] = rows[i]!.line; measuredAt[i] = rows[i]!.measuredAt }
    memory.push({ first, lines, measuredAt })
    memoryRows += rows.length
    while (memoryRows > MEMORY_ROWS && memory.length > 1) {
      const a = memory.shift()!
      memoryRows -= a.lines.length - skip
      skip = 0
      onDisk = true
    }
  }

  /** Drops in-memory rows with ids up to `upTo` (written, dead-lettered, or `evicted` to disk). */
  function forgetUpTo (upTo: number, evicted = false): void {
    while (memory.length > 0) {
      const a = memory[0]!
      const end = a.first + a.lines.length - 1
      if (end <= upTo) {
        memory.shift()
        memoryRows -= a.lines.length - skip
        skip = 0
        continue
      }
      const n = upTo - (a.first + skip) + 1
      if (n > 0) { skip += n; memoryRows -= n }
      break
    }
    if (evicted) onDisk = true
  }

  function fromMemory (limit: number): JournalBatch | undefined {
    const lines: string[] = []
    const measuredAt: (number | null)[] = []
    let id = 0
    let s = skip
    for (const a of memory) {
      const take = Math.min(a.lines.length - s, limit - lines.length)
      for (let i = s; i < s + take; i++) { lines.push(a.lines[i]!); measuredAt.push(a.measuredAt[i]!) }
      id = a.first + s + take - 1
      s = 0
      if (lines.length === limit) break
    }
    return lines.length === 0 ? undefined : { lastId: id, lines, measuredAt }
  }

  function transaction (fn: () => void): void {
    db.exec('BEGIN')
    try {
      fn()
      db.exec('COMMIT')
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw err
    }
  }
  const changes = (stmt: StatementSync, ...args: (number | string)[]): number => Number(stmt.run(...args).changes)

  return {
    get pending () { return pending },
    get lastId () { return lastId },
    append (rows) {
      let id = lastId
      transaction(() => {
        let i = 0
        for (; i + CHUNK <= rows.length; i += CHUNK) {
          for (let k = 0; k < CHUNK; k++) {
            const r = rows[i + k]!
            chunkArgs[k * 3] = r.receivedAt
            chunkArgs[k * 3 + 1] = r.measuredAt
            chunkArgs[k * 3 + 2] = r.line
          }
          id = Number(insertChunk.run(...chunkArgs).lastInsertRowid)
        }
        for (; i < rows.length; i++) {
          const r = rows[i]!
          id = Number(insert.run(r.receivedAt, r.measuredAt, r.line).lastInsertRowid)
        }
      })
      pending += rows.length
      if (rows.length > 0) remember(id - rows.length + 1, rows)
      lastId = id
    },
    head (limit) {
      if (!onDisk) return fromMemory(limit)
      const rows = head.all(memoryFirst(), limit) as unknown as [number, number | null, string][]
      if (rows.length === 0) {
        onDisk = false
        return fromMemory(limit)
      }
      const lines = new Array<string>(rows.length)
      const measuredAt = new Array<number | null>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!
        measuredAt[i] = r[1]
        lines[i] = r[2]
      }
      return { lastId: rows[rows.length - 1]![0], lines, measuredAt }
    },
    remove (upTo) {
      pending -= changes(del, upTo)
      forgetUpTo(upTo)
    },
    deadLetter (upTo, error) {
      let n = 0
      transaction(() => {
        toDead.run(error, Date.now(), upTo)
        n = changes(del, upTo)
      })
      pending -= n
      forgetUpTo(upTo)
    },
    oldestReceivedAt () {
      if (!open) return undefined
      const r = oldest.get() as { received_at: number } | undefined
      return r?.received_at
    },
    checkpoint () { db.exec('PRAGMA wal_checkpoint(TRUNCATE)') },
    close () {
      if (!open) return
      open = false
      db.close()
    }
  }
}
