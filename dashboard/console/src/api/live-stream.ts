import { API } from './http.ts'
import type { StreamEvent } from './types.ts'

export type LiveState = 'connecting' | 'open' | 'closed'

export interface LiveStream {
  close: () => void
}

/**
 * Subscribes to `/api/v1/stream` (Server-Sent Events, `event: incident`). The browser's
 * `EventSource` sends the session cookie and, after a drop, `Last-Event-ID` by itself, and the
 * server replays what was missed, so a reconnect neither loses nor repeats a change. When the
 * server ends the stream for good (a 401 after logout or session expiry) the source stays closed
 * and `onState('closed')` tells the app to check the session and, if it still holds, open a new
 * stream after the last seq it saw.
 */
export function openLiveStream (onEvent: (e: StreamEvent) => void, onState: (s: LiveState) => void, afterSeq?: number): LiveStream {
  // A stream opened anew (not the browser's own reconnect) resumes with `?lastEventId=`.
  const query = afterSeq !== undefined ? `?lastEventId=${afterSeq}` : ''
  const source = new EventSource(`${API}/stream${query}`, { withCredentials: true })
  onState('connecting')
  source.onopen = () => { onState('open') }
  source.onerror = () => { onState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting') }
  source.addEventListener('incident', (msg) => {
    try {
      onEvent(JSON.parse((msg as MessageEvent<string>).data) as StreamEvent)
    } catch {
      // A line that does not parse is skipped; the next change of that incident carries it whole.
    }
  })
  return { close: () => { source.close() } }
}
