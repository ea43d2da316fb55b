import { useTranslation } from 'react-i18next'
import { currentLanguage, setLanguage } from '../i18n/index.ts'
import type { LiveState } from '../api/live-stream.ts'
import type { Principal } from '../api/types.ts'
import type { Route } from '../state/router.ts'

/** zh-CN ⇄ en; the choice is remembered in localStorage. */
export function LanguageSwitch () {
  const { t } = useTranslation()
  return <button type="button" className="lang-switch" data-testid="lang-switch" title={t('nav.langTitle')}
    data-lang={currentLanguage()} onClick={() => { setLanguage(currentLanguage() === 'en' ? 'zh-CN' : 'en') }}>
    {t('nav.lang')}
  </button>
}

const PAGES = [['queue', 'nav.queue'], ['map', 'nav.map'], ['devices', 'nav.devices'], ['stats', 'nav.stats']] as const

/** Navigation, live-stream state, who is logged in, wall mode, language, logout. */
export function TopBar ({ route, principal, live, wall, onWall, onLogout, communityName }: {
  route: Route
  principal: Principal
  live: LiveState
  wall: boolean
  onWall: () => void
  onLogout: () => void
  communityName: string | undefined
}) {
  const { t } = useTranslation()
  const current = route.page === 'incident' ? 'queue' : route.page
  return <header className="top-bar">
    <div className="brand">
      <span className="brand-title">{t('app.short')}</span>
      {communityName !== undefined && communityName !== '' && <span className="brand-sub">{communityName}</span>}
    </div>
    <nav className="nav" aria-label="main">
      {PAGES.map(([page, key]) => <a key={page} href={`#/${page}`} className={`nav-link${current === page ? ' on' : ''}`}
        aria-current={current === page ? 'page' : undefined} data-testid={`nav-${page}`}>{t(key)}</a>)}
    </nav>
    <div className="top-right">
      <span className={`live live-${live}`} data-testid="live-status" data-state={live}><span className="dot" />{t(`live.${live}`)}</span>
      <span className="who" data-testid="current-user" data-role={principal.role}>{principal.name} · {t(`role.${principal.role}`)}</span>
      <button type="button" data-testid="wall-mode" aria-pressed={wall} onClick={onWall}>{wall ? t('nav.desk') : t('nav.wall')}</button>
      <LanguageSwitch />
      <button type="button" data-testid="logout" onClick={onLogout}>{t('nav.logout')}</button>
    </div>
  </header>
}
