import type { Incident } from '@gangwan/contracts'
import { useSyncExternalStore } from 'react'
import { listIncidents } from '../api/endpoints.ts'
import { openLiveStream, type LiveState, type LiveStream } from '../api/live-stream.ts'
import type { StreamEvent } from '../api/types.ts'
import { nextCursor, type PageCursor } from '../domain/page-cursor.ts'
import { upsertNewer } from '../domain/queue-order.ts'

const PAGE = 1000
/** How long a row that just arrived stays highlighted. */
const FRESH_MS = 8000

/** What the queue renders from; a new object after every change. */
export interface IncidentSnapshot {
  byId: ReadonlyMap<string, Incident>
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
 * The console's copy of the incidents it may see: every open incident (loaded in pages by
 * creation time), kept current by the live stream. The stream is opened *before* the pages load
 * and every incident is kept at its highest version, so a change during loading is never lost,
 * whichever of the two brings it first.
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
  const byId = new Map<string, Incident>()
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

  async function loadOpen (signal: AbortSignal): Promise<void> {
    let cursor: PageCursor = { offset: 0 }
    let loaded = 0
    for (;;) {
      const page = await listIncidents({ open: true, sort: 'createdAt', order: 'asc', limit: PAGE, ...cursor }, signal)
      for (const i of page.items) upsertNewer(byId, i)
      loaded += page.items.length
      // `total` counts what is left from the cursor on: the first page's total is the whole set.
      const total = cursor.createdFrom === undefined ? page.total : Math.max(snapshot.total, loaded)
      patch({ loaded, total })
      for (const l of listeners) l()
      if (page.items.length < PAGE) break
      cursor = nextCursor(page.items, cursor)
    }
  }

  function connect (): void {
    stream?.close()
    stream = openLiveStream(onStreamEvent, (live) => {
      patch({ live })
      for (const l of listeners) l()
      if (live === 'closed') opts.onStreamClosed?.()
    }, lastSeq)
  }

  return {
    start () {
      connect()
      abort = new AbortController()
      loadOpen(abort.signal).then(() => {
        initialDone = true
        patch({ loading: false, total: Math.max(snapshot.total, snapshot.loaded) })
        for (const l of listeners) l()
      }, (err: Error) => {
        if (err.name === 'AbortError') return
        initialDone = true
        patch({ loading: false, error: err.message })
        for (const l of listeners) l()
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
    apply (incident) {
      if (upsertNewer(byId, incident)) notify()
    },
    loadFinal () {
      if (finalLoaded) return
      finalLoaded = true
      listIncidents({ status: ['closed', 'false_alarm'], sort: 'updatedAt', order: 'desc', limit: PAGE }).then((page) => {
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
