import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { AuditEntry, Incident } from '@gangwan/contracts'
import { eventually } from '../../../test-support/eventually.ts'

/** One `incident` event as parsed from the stream. */
export interface StreamEvent { id: number; event: string; entry: AuditEntry; incident: Incident }

/** A live stream opened with fetch, its events and comments collected as they arrive. */
export interface SseClient {
  status: number
  events: StreamEvent[]
  comments: string[]
  /** True once the server ended the stream. */
  ended: () => boolean
  /** Waits until `n` events arrived (or the deadline passes). */
  waitFor: (n: number, what?: string) => Promise<StreamEvent[]>
  close: () => void
}

export async function openSse (url: string, headers: Record<string, string>): Promise<SseClient> {
  const abort = new AbortController()
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal })
  const events: StreamEvent[] = []
  const comments: string[] = []
  let ended = false
  const parser = createParser({
    onEvent: (m: EventSourceMessage) => {
      const data = JSON.parse(m.data) as { entry: AuditEntry; incident: Incident }
      events.push({ id: Number(m.id), event: m.event ?? 'message', ...data })
    },
    onComment: (c) => { comments.push(c.trim()) }
  })
  if (res.body !== null && res.status === 200) {
    void (async () => {
      const decoder = new TextDecoder()
      try {
        for await (const chunk of res.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }))
      } catch { /* aborted by close() */ }
      ended = true
    })()
  } else {
    ended = true
  }
  return {
    status: res.status,
    events,
    comments,
    ended: () => ended,
    waitFor: async (n, what = `${n} events`) => await eventually(() => events.length >= n && events.slice(), 20_000, what),
    close: () => { abort.abort() }
  }
}
