import { useCallback, useEffect, useRef, useState } from 'react'
import { getIncident } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { IncidentDetail } from '../api/types.ts'
import type { IncidentStore } from './incident-store.ts'

export interface DetailState {
  detail?: IncidentDetail
  error?: ApiError
  loading: boolean
  /** Fetches again now (after a 409, or by hand). */
  reload: () => Promise<IncidentDetail | undefined>
}

/**
 * `GET /incidents/:id` for the incident on screen: its timeline, alerts and the caller's allowed
 * actions. Fetched again whenever the live stream brings a newer `version`, so the actions shown
 * always belong to the current status; a short delay keeps j/k scrolling from firing a request
 * per row passed.
 */
export function useIncidentDetail (store: IncidentStore, id: string | undefined, version: number | undefined, delayMs = 120): DetailState {
  const [detail, setDetail] = useState<IncidentDetail>()
  const [error, setError] = useState<ApiError>()
  const [loading, setLoading] = useState(false)
  const abort = useRef<AbortController | undefined>(undefined)

  const load = useCallback(async (): Promise<IncidentDetail | undefined> => {
    if (id === undefined) return undefined
    abort.current?.abort()
    const ac = new AbortController()
    abort.current = ac
    setLoading(true)
    try {
      const d = await getIncident(id, ac.signal)
      if (ac.signal.aborted) return undefined
      store.apply(d.incident)
      setDetail(d)
      setError(undefined)
      return d
    } catch (err) {
      if ((err as Error).name === 'AbortError') return undefined
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)))
      return undefined
    } finally {
      if (abort.current === ac) setLoading(false)
    }
  }, [id, store])

  useEffect(() => {
    if (id === undefined) { setDetail(undefined); return }
    // Keep the previous detail of the same incident on screen while its newer version loads.
    setDetail((d) => (d?.incident.id === id ? d : undefined))
    const timer = setTimeout(() => { void load() }, delayMs)
    return () => { clearTimeout(timer); abort.current?.abort() }
  }, [id, version, load, delayMs])

  return { ...(detail !== undefined ? { detail } : {}), ...(error !== undefined ? { error } : {}), loading, reload: load }
}
