import { useSyncExternalStore } from 'react'

/** The console's pages, addressed by the URL hash (`#/incidents/INC-000001`), so any static server works. */
export type Route =
  | { page: 'queue' }
  | { page: 'incident', id: string }
  | { page: 'map', building?: string }
  | { page: 'devices' }
  | { page: 'stats' }

function subscribe (fn: () => void): () => void {
  window.addEventListener('hashchange', fn)
  window.addEventListener('popstate', fn)
  return () => { window.removeEventListener('hashchange', fn); window.removeEventListener('popstate', fn) }
}

/**
 * The page's address: the hash when there is one, else the path, so that a plain link the
 * dashboard answers with the console (`/incidents/INC-000001`, `/map?building=B03`) opens that page too.
 */
function address (): string {
  const { hash, pathname, search } = window.location
  return hash.length > 1 ? hash : `${pathname}${search}`
}

/** Parses a hash (`#/map?building=B03`) or a path (`/map?building=B03`); anything unknown is the queue. */
export function parseRoute (hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent)
  const params = new URLSearchParams(query)
  switch (parts[0]) {
    case 'incidents': return parts[1] !== undefined ? { page: 'incident', id: parts[1] } : { page: 'queue' }
    case 'map': {
      const building = params.get('building')
      return building !== null ? { page: 'map', building } : { page: 'map' }
    }
    case 'devices': return { page: 'devices' }
    case 'stats': return { page: 'stats' }
    default: return { page: 'queue' }
  }
}

export function href (r: Route): string {
  switch (r.page) {
    case 'incident': return `#/incidents/${encodeURIComponent(r.id)}`
    case 'map': return r.building !== undefined ? `#/map?building=${encodeURIComponent(r.building)}` : '#/map'
    default: return `#/${r.page}`
  }
}

export function navigate (r: Route): void {
  window.location.hash = href(r)
}

export function useRoute (): Route {
  return parseRoute(useSyncExternalStore(subscribe, address))
}
