import { ERROR_CODES } from '@gangwan/contracts'
import type { Logger } from 'pino'
import { createClassifier, type Accepted } from '../classify/create-classifier.ts'
import { createSeqWindows } from '../dedup/create-seq-windows.ts'
import { createInfluxHttp } from '../influx/influx-http.ts'
import { createInventory } from '../inventory/create-inventory.ts'
import { openJournal, type Journal } from '../journal/open-journal.ts'
import { createInfluxWriter, type InfluxWriter } from '../writer/create-influx-writer.ts'
import { createWorkerStats } from './create-worker-stats.ts'
import type { ForwardedBatch, FromWorker, GroupMessage, ToWorker, WireError, WorkerInit, WorkerState } from './protocol.ts'

/** The ingest work of the worker thread, driven by the main thread's messages. */
export interface Pipeline {
  /** Opens the journal (synchronously, before the first await), one `CREATE DATABASE` attempt, starts the writer; then posts `ready`. */
  start: () => Promise<void>
  handle: (m: ToWorker) => void
}

/** How long after writer activity the worker reports its state (buffer depth, counters, latency quantiles). */
const REPORT_MS = 100
const NO_CONTACT = Object.freeze({ failingSince: undefined, lastOkAt: undefined })

/** An error as the main thread rebuilds it: its own project code if it has one, else GW_ERR_INGEST_UNAVAILABLE. */
function wire (err: unknown): WireError {
  const code = (err as { code?: unknown }).code
  return { code: typeof code === 'string' && code in ERROR_CODES ? code : 'GW_ERR_INGEST_UNAVAILABLE', message: (err as Error).message }
}

/**
 * Validation, deduplication, the journal group commit and the InfluxDB writer, in the worker.
 * Groups are classified as they arrive; every group that arrived in one turn of the worker's
 * event loop shares one SQLite transaction (one fsync), and one `committed` reply names them all,
 * so while the worker waits on the disk the main thread's next groups queue up and join the next
 * transaction. A group is answered only after the COMMIT that holds its rows has returned: the
 * main thread resolves its promise then, and the broker sends the PUBACKs (DESIGN decision 4).
 * The commit's stored messages go back with the reply only while the main thread has `onStored`
 * listeners, and to the forward port (another thread) while one is set.
 */
export function createPipeline (init: WorkerInit, log: Logger, post: (m: FromWorker) => void): Pipeline {
  const { config } = init
  const now = (): number => Date.now() + init.clockOffsetMs
  const stats = createWorkerStats()
  const classify = createClassifier({
    inventory: createInventory(init.community),
    telemetryWindows: createSeqWindows(),
    heartbeatWindows: createSeqWindows(),
    log,
    now
  })
  let listen = init.listen
  let forward = init.forward
  let journal: Journal | undefined
  let writer: InfluxWriter | undefined
  let rows: Accepted[] = []
  let ids: number[] = []
  let scheduled = false
  let reportTimer: NodeJS.Timeout | undefined

  function state (): WorkerState {
    return { pending: journal?.pending ?? 0, lastId: journal?.lastId ?? 0, oldestReceivedAt: journal?.oldestReceivedAt(), influx: writer?.contact ?? NO_CONTACT, delta: stats.take() }
  }

  /**
   * Posts a reply carrying the state with the latency quantiles (reports off the commit path).
   */
  function postFull (make: (s: WorkerState) => FromWorker): void {
    const storeLatency = stats.storeLatencySamples()
    const s = state()
    if (storeLatency !== undefined) s.storeLatency = storeLatency
    post(make(s))
  }

  function report (): void {
    reportTimer ??= setTimeout(() => {
      reportTimer = undefined
      postFull((s) => ({ t: 'stats', state: s }))
    }, REPORT_MS)
  }

  // Writer outcomes change the buffer depth and the counters: report them soon, at most every REPORT_MS.
  const meter = { ...stats, batch (r: 'ok' | 'retry' | 'rejected') { stats.batch(r); report() } }

  function group (m: GroupMessage): void {
    const buf = Buffer.from(m.bytes)
    const accepted: Accepted[] = []
    let start = 0
    try {
      if (journal === undefined) throw new Error('journal is not open')
      for (let i = 0; i < m.count; i++) {
        const topicEnd = m.ends[i * 2]!
        const end = m.ends[i * 2 + 1]!
        const v = classify(buf.toString('utf8', start, topicEnd), buf.toString('utf8', topicEnd, end), m.receivedAt[i]!)
        start = end
        if (typeof v !== 'string') accepted.push(v)
        else if (v === 'duplicate') stats.duplicate() // acknowledged with this group, no earlier than its original's commit
        else if (v === 'command_ack') stats.commandAck()
        else stats.dropped(v)
      }
    } catch (err) {
      // A bug, not bad input (that is a verdict): refuse the whole group rather than ack a message not stored.
      for (const a of accepted) a.windows?.forget(a.key, a.seq)
      log.error({ err, messages: m.count }, 'classifying a group failed; its messages are left unacknowledged')
      post({ t: 'failed', ids: [m.id], error: wire(err), state: state() })
      return
    }
    for (const a of accepted) rows.push(a)
    ids.push(m.id)
    if (!scheduled) {
      scheduled = true
      setImmediate(commit)
    }
  }

  function commit (): void {
    scheduled = false
    if (ids.length === 0) return
    const batch = rows
    const groups = ids
    rows = []
    ids = []
    if (batch.length > 0) {
      try {
        journal!.append(batch)
      } catch (err) {
        // Not durable: the broker must not acknowledge, and the resend must not count as a duplicate.
        for (const a of batch) a.windows?.forget(a.key, a.seq)
        log.error({ err, messages: batch.length }, 'journal commit failed; messages left unacknowledged')
        post({ t: 'failed', ids: groups, error: wire(new Error(`journal commit failed: ${(err as Error).message}`)), state: state() })
        return
      }
      for (const a of batch) stats.message(a.kind)
      writer?.notify()
    }
    let stored: ForwardedBatch | undefined
    if (listen || forward !== undefined) {
      stored = []
      for (const a of batch) if (a.stored !== null) stored.push(a.stored)
      // Straight to the other thread: the main thread (the broker's) never sees these.
      if (forward !== undefined && stored.length > 0) forward.postMessage(stored)
    }
    post(listen && stored !== undefined ? { t: 'committed', ids: groups, state: state(), stored } : { t: 'committed', ids: groups, state: state() })
  }

  async function drain (id: number): Promise<void> {
    // Groups posted before the drain request are committed first (messages arrive in order).
    commit()
    try {
      if (writer !== undefined && journal !== undefined) await writer.settled(journal.lastId)
      postFull((s) => ({ t: 'drained', id, state: s }))
    } catch (err) {
      postFull((s) => ({ t: 'drained', id, state: s, error: wire(err) }))
    }
  }

  async function stop (graceMs: number): Promise<void> {
    commit()
    clearTimeout(reportTimer)
    await writer?.stop(graceMs)
    postFull((s) => {
      // Closed before the reply: the main thread terminates the worker once it has it.
      journal?.close()
      return { t: 'stopped', state: s }
    })
  }

  return {
    async start () {
      journal = openJournal({ path: config.journalPath, sync: config.journalSync })
      // A change of InfluxDB contact is reported like writer activity, also when nothing is written (health checks read it).
      writer = createInfluxWriter({ journal, http: createInfluxHttp(config.influx), config, meter, log, now, onContactChange: report })
      // One attempt; when InfluxDB is down the writer logs the outage and keeps trying, while
      // groups are already journaled.
      await writer.ensureDatabase(AbortSignal.timeout(5000))
      writer.start()
      postFull((s) => ({ t: 'ready', state: s }))
    },
    handle (m) {
      switch (m.t) {
        case 'group': group(m); break
        case 'listen': listen = m.on; break
        case 'forward':
          forward?.close()
          forward = m.port ?? undefined
          break
        case 'drain': void drain(m.id); break
        case 'stop': void stop(m.graceMs); break
      }
    }
  }
}
