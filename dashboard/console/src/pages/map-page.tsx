import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { DEVICE_STATUS_COLOR, SEVERITY_COLOR } from '../components/badges.tsx'
import { BuildingPanel } from '../components/building-panel.tsx'
import { CommunityMap } from '../components/community-map.tsx'
import { isOpen, SEVERITIES } from '../domain/queue-order.ts'
import { useApp } from '../state/app-context.tsx'
import { useIncidentSnapshot } from '../state/incident-store.ts'
import { navigate } from '../state/router.ts'

/** The community map: the schematic with live incident markers; a building opens to its floors. */
export function MapPage ({ building }: { building: string | undefined }) {
  const { t } = useTranslation()
  const { store, lookups } = useApp()
  const snap = useIncidentSnapshot(store)
  const open = useMemo(() => [...snap.byId.values()].filter((i) => isOpen(i.status)), [snap.revision, snap.byId])
  const community = lookups.community
  const selected = community?.buildings.find((b) => b.id === building)

  if (community === undefined) {
    return <div className="page" data-testid="page-map">
      <div className="muted" data-testid="map-missing">{lookups.communityState === 'loading' ? t('app.loading') : t('map.missing')}</div>
    </div>
  }
  return <div className="page map-page" data-testid="page-map">
    <div className="map-main">
      <CommunityMap community={community} summary={lookups.summary} incidents={open} selected={building}
        onSelect={(id) => { navigate({ page: 'map', building: id }) }} />
      <div className="map-legend" data-testid="map-legend">
        <span className="legend-title">{t('map.openIncidents')}</span>
        {SEVERITIES.map((s) => <span key={s} className="legend-item"><span className="dot" style={{ background: SEVERITY_COLOR[s] }} />{t(`severity.${s}`)}</span>)}
        <span className="legend-title">{t('map.deviceStatus')}</span>
        {(['online', 'offline', 'unknown'] as const).map((s) => <span key={s} className="legend-item">
          <span className="dot" style={{ background: DEVICE_STATUS_COLOR[s] }} />{t(`deviceStatus.${s}`)}
        </span>)}
      </div>
    </div>
    {selected !== undefined && <BuildingPanel building={selected} incidents={open.filter((i) => i.location.building === selected.id)}
      onClose={() => { navigate({ page: 'map' }) }} />}
  </div>
}
