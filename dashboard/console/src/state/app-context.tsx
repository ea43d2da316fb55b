import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { community as fetchCommunity, deviceSummary } from '../api/endpoints.ts'
import { ApiError } from '../api/http.ts'
import type { BuildingDeviceSummary, CommunityView, Principal } from '../api/types.ts'
import type { IncidentStore } from './incident-store.ts'

/** Data the console loads once per login and shares between pages. */
export interface Lookups {
  community?: CommunityView
  communityState: 'loading' | 'ready' | 'missing' | 'error'
  summary: BuildingDeviceSummary[]
  gridName: (id: string | undefined) => string
  departmentName: (id: string | undefined) => string
  buildingName: (id: string | undefined) => string
  handlerName: (id: string | undefined) => string
  refreshSummary: () => void
}

export interface AppContextValue {
  principal: Principal
  store: IncidentStore
  lookups: Lookups
}

const Ctx = createContext<AppContextValue | undefined>(undefined)

export function useApp (): AppContextValue {
  const v = useContext(Ctx)
  if (v === undefined) throw new Error('useApp outside AppProvider')
  return v
}

/** Loads the community (tolerating a server without the route: 404 → `missing`) and device summary. */
export function AppProvider ({ principal, store, children }: { principal: Principal, store: IncidentStore, children: ReactNode }) {
  const [community, setCommunity] = useState<CommunityView>()
  const [communityState, setCommunityState] = useState<Lookups['communityState']>('loading')
  const [summary, setSummary] = useState<BuildingDeviceSummary[]>([])
  const [summaryTick, setSummaryTick] = useState(0)

  useEffect(() => {
    let live = true
    fetchCommunity().then((c) => {
      if (!live) return
      setCommunity(c)
      setCommunityState(c === undefined ? 'missing' : 'ready')
    }, (err: unknown) => {
      if (!live) return
      setCommunityState(err instanceof ApiError && (err.status === 404 || err.status === 501) ? 'missing' : 'error')
    })
    return () => { live = false }
  }, [])

  useEffect(() => {
    let live = true
    const load = (): void => {
      deviceSummary().then((s) => { if (live) setSummary(s) }, () => { /* 404/501 without a device directory: no colours */ })
    }
    load()
    // Device status changes without incidents: refresh the colours every 30 s.
    const timer = setInterval(load, 30_000)
    return () => { live = false; clearInterval(timer) }
  }, [summaryTick])

  const lookups = useMemo<Lookups>(() => {
    const grids = new Map(community?.grids.map((g) => [g.id, g.name]))
    const departments = new Map(community?.departments.map((d) => [d.id, d.name]))
    const buildings = new Map(community?.buildings.map((b) => [b.id, b.name]))
    const handlers = new Map(community?.departments.flatMap((d) => d.handlers.map((h) => [h.id, h.name] as const)))
    const name = (m: Map<string, string>) => (id: string | undefined): string => (id === undefined ? '—' : m.get(id) ?? id)
    return {
      ...(community !== undefined ? { community } : {}),
      communityState,
      summary,
      gridName: name(grids),
      departmentName: name(departments),
      buildingName: name(buildings),
      handlerName: name(handlers),
      refreshSummary: () => { setSummaryTick((n) => n + 1) }
    }
  }, [community, communityState, summary])

  const value = useMemo(() => ({ principal, store, lookups }), [principal, store, lookups])
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}
