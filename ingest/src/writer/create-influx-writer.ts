import { GangwanError } from '@gangwan/contracts'
import type { Logger } from 'pino'
import type { IngestConfig } from '../config.ts'
import type { InfluxHttp } from '../influx/influx-http.ts'
import type { Journal, JournalBatch } from '../journal/open-journal.ts'
import type { WriterMeter } from '../worker/create-worker-stats.ts'
import { backoffDelay } from './backoff-delay.ts'

/** The loop that moves journal rows into InfluxDB, oldest first. */
export interface InfluxWriter {
  /** One `CREATE DATABASE` attempt; false when InfluxDB is not reachable (the loop keeps trying). */
  ensureDatabase: (signal: AbortSignal) => Promise<boolean>
  start: () => void
  /** Called after each journal commit: wakes an idle writer, or a lingering one once a batch is full. */
  notify: () => void
  /** Resolves once every row up to `id` is written (or dead-lettered). */
  settled: (id: number) => Promise<void>
  /** Stops the loop, then one last flush bounded by `graceMs`; pending rows stay in the journal. */
  stop: (graceMs: number) => Promise<void>
  /** Whether InfluxDB answered the writer's latest request (read-only, for health checks). */
  readonly contact: InfluxContact
}

/**
 * The writer's last contact with InfluxDB. A request "fails" when InfluxDB could not be reached,
 * timed out or answered anything but success/400 (a 404 or 401 fails too: nothing gets written);
 * a 400 counts as an answer (the batch is dead-lettered and the pipeline moves on). An idle writer
 * (empty journal) sends nothing, so this only changes while there is something to write or a
 * `CREATE DATABASE` to retry.
 */
export interface InfluxContact {
  /** Epoch ms of the first failure since the last success; undefined while the latest request succeeded. */
  failingSince: number | undefined
  /** Epoch ms of the latest successful request; undefined before the first. */
  lastOkAt: number | undefined
}

/** What {@link createInfluxWriter} needs. */
export interface InfluxWriterDeps {
  journal: Journal
  http: InfluxHttp
  config: Readonly<IngestConfig>
  meter: WriterMeter
  log: Logger
  now: () => number
  /** Called when {@link InfluxWriter.contact} turns from ok to failing or back. */
  onContactChange?: () => void
}

/** A request longer than this counts as a failure (retried); 1.x answers a 5000-point write in ms. */
const WRITE_TIMEOUT_MS = 10_000
/** How often the WAL file is truncated; SQLite's own passive checkpoints run every 1000 pages. */
const CHECKPOINT_INTERVAL_MS = 30_000

type Outcome = 'ok' | 'rejected' | 'retry'

/**
 * Writes journal rows to InfluxDB in id order, `batchSize` at a time, at most one request in flight
 * so backfill stays ordered. A batch goes out when it is full, when `flushIntervalMs` has passed
 * since the previous write, or at once when someone awaits {@link InfluxWriter.settled}. 204: rows
 * deleted. 400: InfluxDB refused points (e.g. a field type conflict), the batch moves to
 * `dead_letter` so the pipeline never wedges. 404: the database is created again. Anything else,
 * a network error or a timeout: rows stay, retry with back-off; one log line when the outage starts
 * and one when it ends.
 */
export function createInfluxWriter (deps: InfluxWriterDeps): InfluxWriter {
  const { journal, http, config, meter, log, now } = deps
  const { batchSize, flushIntervalMs } = config
  const abort = new AbortController()
  let loop: Promise<void> | undefined
  let stopping = false
  let dbReady = false
  let attempt = 0
  let outageSince: number | undefined
  let lastWriteAt = 0
  let lastCheckpointAt = now()
  let settledThrough = 0
  let waiters: { id: number; resolve: () => void; reject: (e: Error) => void }[] = []
  let wake: (() => void) | undefined
  let lingering = false
  const contact: InfluxContact = { failingSince: undefined, lastOkAt: undefined }

  /** Records the outcome of a request to InfluxDB (status only; it changes nothing the writer does). */
  function answered (ok: boolean): void {
    const t = now()
    const was = contact.failingSince
    if (ok) {
      contact.lastOkAt = t
      contact.failingSince = undefined
    } else {
      contact.failingSince ??= t
    }
    if ((was === undefined) !== (contact.failingSince === undefined)) deps.onContactChange?.()
  }

  /** Sleeps `ms`; `stop()` always ends the sleep, commits and drain requests only a linger (not a back-off). */
  function pause (ms: number, linger: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); wake = undefined; resolve() }
      const timer = setTimeout(done, ms)
      wake = done
      lingering = linger
    })
  }
  const retryPause = (): Promise<void> => pause(backoffDelay(attempt++, config.retry.minDelayMs, config.retry.maxDelayMs), false)
  const writeSignal = (): AbortSignal => AbortSignal.any([abort.signal, AbortSignal.timeout(WRITE_TIMEOUT_MS)])

  function outage (reason: string): void {
    answered(false)
    if (outageSince !== undefined) return
    outageSince = now()
    log.warn({ reason, backlog: journal.pending }, 'InfluxDB unavailable; holding data in the journal and retrying')
  }

  function settle (id: number): void {
    settledThrough = id
    if (waiters.length === 0) return
    const empty = journal.pending === 0
    const still = waiters.filter((w) => !(empty || w.id <= id))
    for (const w of waiters) if (empty || w.id <= id) w.resolve()
    waiters = still
  }

  async function ensureDatabase (signal: AbortSignal): Promise<boolean> {
    try {
      await http.createDatabase(signal)
      dbReady = true
      answered(true)
    } catch (err) {
      if ((err as GangwanError).code !== 'GW_ERR_INFLUX_REJECTED') outage((err as Error).message)
      else {
        answered(true)
        // e.g. a non-admin user on a server with auth: assume the database exists; a write
        // answered 404 brings us back here.
        log.warn({ err }, 'InfluxDB refused CREATE DATABASE; writing to the database as it is')
        dbReady = true
      }
    }
    return dbReady
  }

  /** Milliseconds until the next batch is due; 0 means now. */
  function dueIn (): number {
    const pending = journal.pending
    if (pending === 0) return flushIntervalMs
    if (pending >= batchSize || waiters.length > 0) return 0
    return lastWriteAt + flushIntervalMs - now()
  }

  async function writeHead (signal: AbortSignal): Promise<Outcome> {
    const batch = journal.head(batchSize)
    if (batch === undefined) return 'ok'
    lastWriteAt = now()
    const started = performance.now()
    let res
    try {
      res = await http.write(batch.lines.join('\n'), signal)
    } catch (err) {
      meter.writeSeconds((performance.now() - started) / 1000)
      meter.batch('retry')
      outage((err as Error).message)
      return 'retry'
    }
    meter.writeSeconds((performance.now() - started) / 1000)
    if (res.status === 204) return written(batch)
    if (res.status === 400) return rejected(batch, res.body)
    // 404: the database is gone (dropped, or a fresh server on the same URL): create it, then retry.
    if (res.status === 404) dbReady = false
    meter.batch('retry')
    outage(`HTTP ${res.status}: ${res.body.slice(0, 300)}`)
    return 'retry'
  }

  function written (batch: JournalBatch): Outcome {
    journal.remove(batch.lastId)
    answered(true)
    const t = now()
    meter.batch('ok')
    meter.pointsWritten(batch.lines.length)
    for (const ts of batch.measuredAt) if (ts !== null) meter.storeLatency((t - ts) / 1000)
    if (outageSince !== undefined) {
      log.info({ outageMs: t - outageSince, backlog: journal.pending }, 'InfluxDB writes succeed again; backfilling from the journal')
      outageSince = undefined
    }
    settle(batch.lastId)
    if (t - lastCheckpointAt >= CHECKPOINT_INTERVAL_MS) {
      lastCheckpointAt = t
      journal.checkpoint()
    }
    return 'ok'
  }

  function rejected (batch: JournalBatch, body: string): Outcome {
    journal.deadLetter(batch.lastId, body.slice(0, 4000))
    answered(true)
    meter.batch('rejected')
    meter.pointsRejected(batch.lines.length)
    log.error({ points: batch.lines.length, lastId: batch.lastId, error: body.slice(0, 500) }, 'InfluxDB rejected a batch; moved it to the dead_letter table')
    settle(batch.lastId)
    return 'rejected'
  }

  async function run (): Promise<void> {
    while (!stopping) {
      try {
        if (!dbReady && !(await ensureDatabase(writeSignal()))) {
          await retryPause()
          continue
        }
        const wait = dueIn()
        if (wait > 0) {
          await pause(wait, true)
          continue
        }
        if (await writeHead(writeSignal()) === 'retry') await retryPause()
        else attempt = 0
      } catch (err) {
        // A journal error (disk full, I/O): keep the rows, report, slow down.
        log.error({ err }, 'ingest writer step failed; retrying')
        await retryPause()
      }
    }
  }

  return {
    get contact () { return { ...contact } },
    ensureDatabase,
    start () {
      loop ??= run()
    },
    notify () {
      if (wake !== undefined && lingering && (journal.pending >= batchSize || dueIn() <= 0)) wake()
    },
    async settled (id) {
      if (journal.pending === 0 || id <= settledThrough) return
      if (stopping) throw new GangwanError('GW_ERR_INGEST_UNAVAILABLE', 'ingest is stopping')
      const p = new Promise<void>((resolve, reject) => { waiters.push({ id, resolve, reject }) })
      if (wake !== undefined && lingering) wake()
      await p
    },
    async stop (graceMs) {
      if (stopping) return
      stopping = true
      const deadline = now() + graceMs
      const timer = setTimeout(() => { abort.abort() }, graceMs)
      wake?.()
      await loop
      try {
        if (journal.pending > 0 && (dbReady || await ensureDatabase(writeSignal()))) {
          let outcome: Outcome = 'ok'
          while (journal.pending > 0 && now() < deadline && outcome !== 'retry') outcome = await writeHead(writeSignal())
        }
      } catch (err) {
        log.error({ err }, 'last flush before stop failed')
      } finally {
        clearTimeout(timer)
      }
      if (journal.pending > 0) log.info({ pending: journal.pending }, 'journal rows kept for the next start')
      for (const w of waiters) w.reject(new GangwanError('GW_ERR_INGEST_UNAVAILABLE', 'ingest stopped before these rows were written'))
      waiters = []
    }
  }
}
