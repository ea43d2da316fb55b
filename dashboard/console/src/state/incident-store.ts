import type { Incident } from '@gangwan/contracts'
import { useSyncExternalStore } from 'react'
import { listQueue } from '../api/endpoints.ts'
import { openLiveStream, type LiveState, type LiveStream } from '../api/live-stream.ts'
import type { QueueIncident, StreamEvent } from '../api/types.ts'
import { PAGE } from '../domain/queue-pages.ts'
import { upsertNewer } from '../domain/queue-order.ts'
import { loadOpenQueue, type LoadedPage } from './load-queue.ts'

/** How long a row that just arrived stays highlighted. */
const FRESH_MS = 8000

/** What the queue renders from; a new object after every change. */
export interface IncidentSnapshot {
  /** The queue's projection of each incident as listed, or the whole incident once the stream, an action or a detail brought it. */
  byId: ReadonlyMap<string, QueueIncident>
  /** Bumped on every change (a cheap memo key). */
  revision: number
  loaded: number
  total: number
  loading: boolean
  error?: string
  live: LiveState
  /** Incidents created since the console opened, with when they arrived (for a highlight). */
  fresh: ReadonlyMap<string, number>
  lastEvent?: StreamEvent
}

/**
 * The console's copy of the incidents it may see: every open incident (the top of the queue first,
 * then the rest in parallel: {@link loadOpenQueue}), kept current by the live stream. The stream is
 * opened *before* the pages load and every incident is kept at its highest version, so a change
 * during loading is never lost, whichever of the two brings it first.
 */
export interface IncidentStore {
  start: () => void
  stop: () => void
  subscribe: (fn: () => void) => () => void
  getSnapshot: () => IncidentSnapshot
  /** An incident read elsewhere (after an action, a detail fetch): kept if newer. */
  apply: (incident: Incident) => void
  /** Loads the most recent closed and false-alarm incidents once (for a status filter on them). */
  loadFinal: () => void
  /** Opens the live stream again after it closed for good, resuming after the last change seen. */
  reconnect: () => void
  /** Listen to each live event (e.g. the open detail page refreshing its timeline). */
  onEvent: (fn: (e: StreamEvent) => void) => () => void
}

export function createIncidentStore (opts: { onStreamClosed?: () => void } = {}): IncidentStore {
  const byId = new Map<string, QueueIncident>()
  const fresh = new Map<string, number>()
  const listeners = new Set<() => void>()
  const eventListeners = new Set<(e: StreamEvent) => void>()
  let snapshot: IncidentSnapshot = { byId, revision: 0, loaded: 0, total: 0, loading: true, live: 'connecting', fresh }
  let stream: LiveStream | undefined
  let abort: AbortController | undefined
  let pending: ReturnType<typeof setTimeout> | undefined
  let finalLoaded = false
  let initialDone = false
  let lastSeq: number | undefined

  const patch = (p: Partial<IncidentSnapshot>): void => {
    snapshot = { ...snapshot, ...p, revision: snapshot.revision + 1 }
  }
  // Bursts of stream events (a fire merging dozens of alerts) render once per 50 ms, not per event.
  const notify = (): void => {
    if (pending !== undefined) return
    pending = setTimeout(() => {
      pending = undefined
      const now = Date.now()
      for (const [id, at] of fresh) if (now - at > FRESH_MS) fresh.delete(id)
      patch({ byId, fresh })
      for (const l of listeners) l()
    }, 50)
  }

  function onStreamEvent (e: StreamEvent): void {
    lastSeq = Math.max(lastSeq ?? 0, e.entry.seq)
    if (upsertNewer(byId, e.incident)) {
      if (initialDone && e.entry.event === 'created') fresh.set(e.incident.id, Date.now())
      snapshot = { ...snapshot, lastEvent: e }
      notify()
    }
    for (const l of eventListeners) l(e)
  }

  const emit = (): void => { for (const l of listeners) l() }

  // The top of the queue shows at once; the rest is merged in one go once all of it is here, in list
  // order, so the queue sorts once (nearly sorted input) instead of after every page, and no page
  // arriving later puts an incident above the rows already on screen.
  async function loadOpen (signal: AbortSignal): Promise<void> {
    const merge = (pages: readonly LoadedPage[]): void => {
      for (const p of pages) for (const i of p.items) upsertNewer(byId, i)
    }
    const pages = await loadOpenQueue(signal, {
      first (page) {
        merge([page])
        patch({ loaded: page.items.length, total: page.total })
        emit()
      },
      progress (loaded, total) {
        patch({ loaded, total })
        emit()
      }
    })
    merge(pages)
  }

  function connect (): void {
    stream?.close()
    stream = openLiveStream(onStreamEvent, (live) => {
      patch({ live })
      emit()
      if (live === 'closed') opts.onStreamClosed?.()
    }, lastSeq)
  }

  return {
    start () {
      connect()
      abort = new AbortController()
      loadOpen(abort.signal).then(() => {
        initialDone = true
        patch({ loading: false, loaded: Math.max(snapshot.total, snapshot.loaded), total: Math.max(snapshot.total, snapshot.loaded) })
        emit()
      }, (err: Error) => {
        if (err.name === 'AbortError') return
        initialDone = true
        patch({ loading: false, error: err.message })
        emit()
      })
    },
    stop () {
      stream?.close()
      abort?.abort()
      if (pending !== undefined) clearTimeout(pending)
    },
    subscribe (fn) {
      listeners.add(fn)
      return () => { listeners.delete(fn) }
    },
    getSnapshot: () => snapshot,
    apply (incident: Incident) {
      if (upsertNewer(byId, incident)) notify()
    },
    loadFinal () {
      if (finalLoaded) return
      finalLoaded = true
      listQueue({ status: ['closed', 'false_alarm'], sort: 'updatedAt', order: 'desc', limit: PAGE }).then((page) => {
        for (const i of page.items) upsertNewer(byId, i)
        notify()
      }, () => { finalLoaded = false })
    },
    reconnect: connect,
    onEvent (fn) {
      eventListeners.add(fn)
      return () => { eventListeners.delete(fn) }
    }
  }
}

export function useIncidentSnapshot (store: IncidentStore): IncidentSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot)
}
