import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { logout, me } from './api/endpoints.ts'
import { ApiError, setUnauthenticatedHandler } from './api/http.ts'
import type { Principal } from './api/types.ts'
import { TopBar } from './components/top-bar.tsx'
import { DevicesPage } from './pages/devices-page.tsx'
import { IncidentPage } from './pages/incident-page.tsx'
import { LoginPage } from './pages/login-page.tsx'
import { MapPage } from './pages/map-page.tsx'
import { QueuePage } from './pages/queue-page.tsx'
import { StatsPage } from './pages/stats-page.tsx'
import { AppProvider, useApp } from './state/app-context.tsx'
import { createIncidentStore, useIncidentSnapshot } from './state/incident-store.ts'
import { useRoute } from './state/router.ts'

const WALL_KEY = 'gangwan.wall'

/** Wall mode: larger type for a video wall across the room (`html.wall` in the stylesheet). */
function useWallMode (): [boolean, () => void] {
  const [wall, setWall] = useState(() => { try { return localStorage.getItem(WALL_KEY) === '1' } catch { return false } })
  useEffect(() => {
    document.documentElement.classList.toggle('wall', wall)
    try { localStorage.setItem(WALL_KEY, wall ? '1' : '0') } catch { /* private mode */ }
  }, [wall])
  return [wall, useCallback(() => { setWall((w) => !w) }, [])]
}

/** The console once logged in: one incident store (pages + live stream) for every page. */
function Console ({ principal, onSessionEnded }: { principal: Principal, onSessionEnded: () => void }) {
  const store = useMemo(() => createIncidentStore({
    // The stream closed for good: a 401 means the session ended; otherwise resume after a pause.
    onStreamClosed: () => {
      me().then(() => { setTimeout(() => { store.reconnect() }, 3000) }, (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) onSessionEnded()
        else setTimeout(() => { store.reconnect() }, 5000)
      })
    }
  // One store per logged-in user.
  }), [principal.id])
  useEffect(() => { store.start(); return () => { store.stop() } }, [store])
  return <AppProvider principal={principal} store={store}><Shell onSessionEnded={onSessionEnded} /></AppProvider>
}

function Shell ({ onSessionEnded }: { onSessionEnded: () => void }) {
  const { principal, store, lookups } = useApp()
  const snap = useIncidentSnapshot(store)
  const route = useRoute()
  const [wall, toggleWall] = useWallMode()
  const doLogout = (): void => { logout().finally(onSessionEnded) }
  return <div className="shell">
    <TopBar route={route} principal={principal} live={snap.live} wall={wall} onWall={toggleWall} onLogout={doLogout}
      communityName={lookups.community?.name} />
    <main className="content">
      {route.page === 'queue' && <QueuePage />}
      {route.page === 'incident' && <IncidentPage key={route.id} id={route.id} />}
      {route.page === 'map' && <MapPage building={route.building} />}
      {route.page === 'devices' && <DevicesPage />}
      {route.page === 'stats' && <StatsPage />}
    </main>
  </div>
}

/** Login gate: asks who is logged in (the session cookie), shows the login page until someone is. */
export function App () {
  const { t } = useTranslation()
  const [principal, setPrincipal] = useState<Principal | null>()

  useEffect(() => {
    setUnauthenticatedHandler(() => { setPrincipal(null) })
    me().then((m) => { setPrincipal(m.principal) }, () => { setPrincipal(null) })
    return () => { setUnauthenticatedHandler(undefined) }
  }, [])

  if (principal === undefined) return <div className="splash" data-testid="splash">{t('app.loading')}</div>
  if (principal === null) return <LoginPage onLoggedIn={setPrincipal} />
  return <Console key={principal.id} principal={principal} onSessionEnded={() => { setPrincipal(null) }} />
}
