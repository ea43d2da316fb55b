import type { ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Dispatch, IncidentEvent } from '@gangwan/dispatch'
import type { Closable, StreamRegistry } from './stream-registry.ts'

/** Changes fetched per `changesSince` call while catching up. */
const PAGE = 500
/** A live client this far behind (bytes not yet taken by the socket) is dropped; it reconnects with Last-Event-ID. */
const MAX_BUFFERED = 1024 * 1024
/** Live events held while catching up; past this the catch-up is too long to hold them: drop the client likewise. */
const MAX_PENDING = 50_000

/** Resolves when the response can take more, or is gone. */
function drained (res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { res.off('drain', done); res.off('close', done); resolve() }
    res.once('drain', done)
    res.once('close', done)
  })
}

/** Options of {@link openIncidentStream}. */
export interface IncidentStreamOptions {
  res: ServerResponse
  dispatch: Dispatch
  log: Logger
  /** Resume after this audit seq (Last-Event-ID); undefined starts with the next change. */
  afterSeq: number | undefined
  /** Whether the caller may see this event (a handler: their department's incidents only). */
  visible: (event: IncidentEvent) => boolean
  heartbeatMs: number
  /** Checked at each heartbeat: false (session ended, token revoked) ends the stream. */
  stillAuthorized: () => Promise<boolean>
  /** The stream is in it while open. */
  registry: StreamRegistry
}

/**
 * A Server-Sent Events stream of incident changes (WHATWG HTML §9.2): `id:` is the audit entry's
 * seq, so a browser's EventSource resumes with Last-Event-ID after a drop.
 *
 * No gap and no duplicate across the switch from catch-up to live: it subscribes first and
 * buffers live events, replays `changesSince` page by page, then drains the buffer; every event
 * goes through one cursor that drops anything at or below the last seq sent, so a change both
 * replayed and buffered is sent once. Seqs grow strictly across all incidents, so this cursor
 * is a total order. Events the caller may not see advance the cursor without being sent.
 */
export function openIncidentStream (o: IncidentStreamOptions): Closable {
  const { res } = o
  let cursor = o.afterSeq
  let live = false
  let closed = false
  const pending: IncidentEvent[] = []

  const write = (chunk: string): boolean => res.write(chunk)
  function deliver (event: IncidentEvent): boolean {
    const seq = event.entry.seq
    if (cursor !== undefined && seq <= cursor) return true
    cursor = seq
    if (!o.visible(event)) return true
    return write(`id: ${seq}\nevent: incident\ndata: ${JSON.stringify(event)}\n\n`)
  }

  const unsubscribe = o.dispatch.subscribe((event) => {
    if (closed) return
    if (!live) pending.push(event)
    else deliver(event)
    if (res.writableLength > MAX_BUFFERED || pending.length > MAX_PENDING) {
      o.log.warn({ buffered: res.writableLength }, 'live stream client too slow: closed, it resumes with Last-Event-ID')
      handle.close()
    }
  })

  const heartbeat = setInterval(() => {
    o.stillAuthorized().then((ok) => {
      if (!ok) handle.close()
      else if (!closed) write(': heartbeat\n\n')
    }, (err: unknown) => { o.log.warn({ err }, 'live stream authorization check failed') })
  }, o.heartbeatMs)

  const handle: Closable = {
    close: () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      unsubscribe()
      if (!res.writableEnded) res.end()
      o.registry.delete(handle)
      o.log.debug('live stream closed')
    }
  }
  o.registry.add(handle)
  res.on('close', () => handle.close())

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Tells nginx not to buffer the stream.
    'x-accel-buffering': 'no'
  })
  // The subscription is in place before the headers go out: a client that has them misses nothing.
  write(': connected\n\n')

  async function catchUp (): Promise<void> {
    if (cursor !== undefined) {
      for (;;) {
        const page = await o.dispatch.changesSince(cursor, PAGE)
        for (const event of page) {
          if (closed) return
          if (!deliver(event)) await drained(res)
        }
        if (page.length < PAGE) break
      }
    }
    if (closed) return
    live = true
    for (const event of pending.splice(0)) deliver(event)
  }
  catchUp().catch((err: unknown) => {
    o.log.warn({ err }, 'live stream catch-up failed: closed, the client retries')
    handle.close()
  })
  return handle
}
